"""Pieces shared by the API routers: the error body and bounded parameter types.

Every number and text a client sends is bounded here, so a hostile value (an id of 2^63, a
60,000-character filter) is a 422 naming the field, never a database error.
"""

from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_ID = 2**31 - 1
MAX_OFFSET = 10**6

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1900, le=2100)]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold a NUL character; HTML forms refuse it too
Text = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
Code = Annotated[str, Field(max_length=60, pattern=NO_NUL)]


def nul_at(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where a NUL character hides in parsed input (PostgreSQL text cannot hold one)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and "\x00" in key:
                return (*path, "—")
            found = nul_at(item, (*path, str(key)))
            if found is not None:
                return found
    return None


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error: a sentence for people and, for invalid input, the fields concerned."""

    detail: str
    errors: list[FieldError] = []


class ConflictOut(Schema):
    """409: the record changed since it was loaded; per field [yours, current]."""

    detail: str
    changes: dict[str, list[Any]]


class BoundedPagination(LimitOffsetPagination):
    """limit 1–500, offset 0–10^6."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
