"""差异化: which of a zone's innovations other zones also have, which are its own, and which
resemble reforms already replicated nationwide (State Council batches, best-practice cases).

Read from the stored neighbour table (`neighbours.py`), one page of innovations at a time: the
page costs the same few queries whatever the number of innovations.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationItem
from zimao.text.similarity import DUPLICATE_THRESHOLD

from .models import SearchEntry, SimilarEntry
from .similarity import relocated

PAGE = 50
REPLICATED_SHOWN = 3


@dataclass
class Position:
    innovation: Innovation
    shared_with: dict[str, list[tuple[Innovation, float]]] = field(default_factory=dict)
    replicated: list[tuple[ReplicationItem, float]] = field(default_factory=list)

    @property
    def unique(self) -> bool:
        """No other zone has this innovation."""
        return not self.shared_with


@dataclass
class Differentiation:
    positions: list[Position]
    total: int
    unique: int
    replicated: int


def _matches(zone_code: str, access: Q, threshold: float) -> QuerySet[SimilarEntry]:
    """Stored neighbours at or above the threshold that the reader may see: other zones'
    innovations and replicated items."""
    other_zone = Q(other__kind="innovation") & ~Q(other__zone=zone_code) & ~Q(other__zone="")
    return SimilarEntry.objects.filter(
        other_zone | Q(other__kind="item"), relocated(access, "other__"), score__gte=threshold
    )


def _own(zone_code: str, access: Q, threshold: float) -> QuerySet[SearchEntry]:
    """The zone's innovation entries, each annotated with how many other zones share it."""
    zones = (
        _matches(zone_code, access, threshold)
        .filter(entry=OuterRef("pk"), other__kind="innovation")
        .values("entry")
        .annotate(n=Count("other__zone", distinct=True))
        .values("n")
    )
    return (
        SearchEntry.objects.filter(access, kind="innovation", zone=zone_code)
        .annotate(sharing=Coalesce(Subquery(zones, output_field=IntegerField()), 0))
        .order_by("-sharing", "title", "pk")
    )


def zone_differentiation(
    zone_code: str,
    access: Q | None = None,
    threshold: float = DUPLICATE_THRESHOLD,
    limit: int = PAGE,
    offset: int = 0,
) -> Differentiation:
    """One page of the zone's innovations with the other zones' innovations that describe the
    same reform and the replicated items like it; shared ones first, by how many zones share
    them. `access` (scope_q of the reader; default: everything) applies to both sides."""
    access = access if access is not None else Q()
    own = _own(zone_code, access, threshold)
    page = list(own[offset : offset + limit])
    rows = list(
        _matches(zone_code, access, threshold)
        .filter(entry__in=[e.pk for e in page])
        .select_related("other")
        .order_by("-score", "other_id")
    )
    innovation_ids = {int(e.object_id) for e in page} | {
        int(r.other.object_id) for r in rows if r.other.kind == "innovation"
    }
    innovations = Innovation.objects.select_related("zone").in_bulk(innovation_ids)
    items = ReplicationItem.objects.select_related("batch").in_bulk(
        {r.other.object_id for r in rows if r.other.kind == "item"}, field_name="code"
    )
    by_entry: dict[int, list[SimilarEntry]] = defaultdict(list)
    for row in rows:
        by_entry[row.entry_id].append(row)
    positions = []
    for entry in page:
        innovation = innovations.get(int(entry.object_id))
        if innovation is None:  # deleted since it was indexed
            continue
        shared: dict[str, list[tuple[Innovation, float]]] = defaultdict(list)
        replicated: list[tuple[ReplicationItem, float]] = []
        for row in by_entry[entry.pk]:
            if row.other.kind == "item" and row.other.object_id in items:
                replicated.append((items[row.other.object_id], row.score))
            elif row.other.kind == "innovation" and int(row.other.object_id) in innovations:
                shared[row.other.zone].append((innovations[int(row.other.object_id)], row.score))
        positions.append(Position(innovation, dict(shared), replicated[:REPLICATED_SHOWN]))
    has_item = _matches(zone_code, access, threshold).filter(
        entry=OuterRef("pk"), other__kind="item"
    )
    return Differentiation(
        positions=positions,
        total=own.count(),
        unique=own.filter(Q(sharing=0)).count(),
        replicated=own.filter(Exists(has_item)).count(),
    )
