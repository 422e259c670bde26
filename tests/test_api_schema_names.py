"""Every schema of the OpenAPI document names one class: the document files each schema under its
class name, so two classes of one name (two apps' `MeasureOut`) would leave one app's objects
described with the other's fields."""

import enum
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from zimao.api import api
from zimao.lib.schemas import ConflictOut, ErrorOut, FieldError


def schema_classes() -> dict[str, set[type]]:
    """The classes the document describes, by the name they are filed under: every model and
    enum reachable from an operation's parameters, body and responses, and the error shapes the
    API adds to every operation."""
    found: dict[str, set[type]] = defaultdict(set)
    seen: set[type] = set()

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
            if annotation in seen:
                return
            seen.add(annotation)
            found[annotation.__name__].add(annotation)
            if issubclass(annotation, BaseModel):
                for field in annotation.model_fields.values():
                    walk(field.annotation)
            return
        for argument in typing.get_args(annotation):
            walk(argument)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                # ninja's own wrappers (query, path, body, response): their fields are ours
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    if isinstance(wrapper, type) and issubclass(wrapper, BaseModel):
                        for field in wrapper.model_fields.values():
                            walk(field.annotation)
    for error_shape in (ErrorOut, FieldError, ConflictOut):
        walk(error_shape)
    return found


def test_no_two_schema_classes_share_a_name() -> None:
    clashes = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in schema_classes().items()
        if len(classes) > 1
    }
    assert clashes == {}


def test_the_walk_reaches_every_schema_of_the_document() -> None:
    """The check above sees what the document holds: the walk finds every component by name,
    and the document files none under a name of its own making (as pydantic does when two
    classes of one name meet in one operation)."""
    components = set(api.get_openapi_schema()["components"]["schemas"])
    assert components == set(schema_classes())
