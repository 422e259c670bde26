"""Writes to the opening reference data: through the write helper, like every other write."""

from typing import Any

from zimao.accounts.access import Actor
from zimao.audit import writes

from .models import Measure

EDITABLE = (
    "text",
    "kind",
    "restrictions",
    "foreign_cap",
    "keywords",
    "confirmed",
    "source",
    "page",
)


def measure_update(*, user: Actor, measure: Measure, **changes: Any) -> Measure:
    """Correct a measure (its text, kind, conditions or source); the national office only."""
    return writes.update(user=user, record=measure, changes=changes, fields=EDITABLE)
