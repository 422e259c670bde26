"""Full-text backends behind one interface: same tokens in, same results contract out."""

from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import connection


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    zone: str = ""
    area: str = ""
    domain: str = ""
    batch: str = ""
    year: int | None = None

    def sql(self, alias: str) -> tuple[list[str], list[Any]]:
        """WHERE clauses and parameters for the entry table under `alias`."""
        clauses: list[str] = []
        params: list[Any] = []
        for column in ("kind", "zone", "area", "domain", "batch", "year"):
            value = getattr(self, column)
            if value not in ("", None):
                clauses.append(f"{alias}.{column} = %s")
                params.append(value)
        return clauses, params


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float


class Backend(Protocol):
    name: str

    def search(
        self, tokens: list[str], filters: Filters, *, limit: int, offset: int, any_token: bool
    ) -> tuple[int, list[Hit]]:
        """Return the number of matches and one page of hits, best first."""


def get_backend() -> Backend:
    """The backend for the database in use, unless ZIMAO_SEARCH_BACKEND says otherwise."""
    choice = settings.SEARCH_BACKEND or connection.vendor
    if choice == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if choice == "opensearch":
        from .opensearch import OpenSearchBackend

        return OpenSearchBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()
