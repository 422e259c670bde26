"""Similar records, read from the stored neighbour table (`neighbours.py` keeps it in step)."""

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q

from .models import SearchEntry, SimilarEntry


def relocated(condition: Q, prefix: str) -> Q:
    """The same condition on entries reached through a relation (`other__`): the access rule
    applied by a join on the neighbour's row, not by a subquery over every visible entry."""
    children: list[Any] = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(relocated(child, prefix))
        else:
            key, value = cast(tuple[str, Any], child)
            children.append((prefix + key, value))
    moved = Q(*children, _connector=condition.connector, _negated=condition.negated)
    return moved


@dataclass(frozen=True)
class Similar:
    entry: SearchEntry
    score: float


def similar_entries(entry: SearchEntry, *, access: Q, limit: int = 5) -> list[Similar]:
    """The stored entries most like `entry` among those `access` lets the caller see, best
    first: one query over the entry's own rows, whatever the size of the index."""
    rows = (
        SimilarEntry.objects.filter(relocated(access, "other__"), entry=entry)
        .select_related("other")
        .order_by("-score", "other_id")[:limit]
    )
    return [Similar(row.other, row.score) for row in rows]
