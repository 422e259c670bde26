"""Similar records, read from the stored neighbour table (`neighbours.py` keeps it in step)."""

from dataclasses import dataclass

from django.db.models import Q

from .models import SearchEntry, SimilarEntry


@dataclass(frozen=True)
class Similar:
    entry: SearchEntry
    score: float


def similar_entries(entry: SearchEntry, *, access: Q, limit: int = 5) -> list[Similar]:
    """The stored entries most like `entry` among those `access` lets the caller see, best
    first: one query, whatever the size of the index."""
    rows = (
        SimilarEntry.objects.filter(
            entry=entry, other__in=SearchEntry.objects.filter(access).values("pk")
        )
        .select_related("other")
        .order_by("-score", "other_id")[:limit]
    )
    return [Similar(row.other, row.score) for row in rows]
