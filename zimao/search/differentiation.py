"""差异化: which of a zone's innovations other zones also have, which are its own, and which
resemble reforms already replicated nationwide (State Council batches, best-practice cases)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationItem
from zimao.text.similarity import DUPLICATE_THRESHOLD, vectorize

MAX_ITEMS = 5000


@dataclass
class Position:
    innovation: Innovation
    shared_with: dict[str, list[tuple[Innovation, float]]] = field(default_factory=dict)
    replicated: list[tuple[ReplicationItem, float]] = field(default_factory=list)

    @property
    def unique(self) -> bool:
        """No other zone has this innovation."""
        return not self.shared_with


def _text(innovation: Innovation) -> str:
    return f"{innovation.title} {innovation.mechanism[:600]}"


def _replicated(
    own: list[Innovation], items: list[ReplicationItem], threshold: float
) -> list[list[tuple[ReplicationItem, float]]]:
    """For each innovation, the replicated items describing the same reform, best first."""
    if not own or not items:
        return [[] for _ in own]
    texts = [_text(i) for i in own] + [f"{i.title} {i.category_zh}" for i in items]
    matrix = vectorize(texts)
    scores = (matrix[: len(own)] @ matrix[len(own) :].T).toarray()
    out = []
    for row in scores:
        matches = [(items[j], float(s)) for j, s in enumerate(row) if s >= threshold]
        out.append(sorted(matches, key=lambda m: -m[1])[:3])
    return out


def zone_differentiation(
    zone_code: str,
    innovations: QuerySet[Innovation] | None = None,
    threshold: float = DUPLICATE_THRESHOLD,
    items: QuerySet[ReplicationItem] | None = None,
) -> list[Position]:
    """Each innovation of the zone with the other zones' innovations that describe the same
    reform (n-gram cosine ≥ threshold) and the replicated items like it; shared ones first, by
    how many zones share them. Only `innovations` (by default all; pages pass what the user may
    see) are compared; `items` (default: every replicated item) are the national record."""
    pool = innovations if innovations is not None else Innovation.objects.all()
    everything = list(pool.select_related("zone").exclude(zone=None))
    own = [i for i, inn in enumerate(everything) if inn.zone and inn.zone.code == zone_code]
    if not own:
        return []
    matrix = vectorize([_text(i) for i in everything])
    scores = (matrix[own] @ matrix.T).toarray()
    catalogue = list(
        (items if items is not None else ReplicationItem.objects.all()).select_related("batch")[
            :MAX_ITEMS
        ]
    )
    replicated = _replicated([everything[i] for i in own], catalogue, threshold)
    positions = []
    for row, index in enumerate(own):
        shared: dict[str, list[tuple[Innovation, float]]] = defaultdict(list)
        for other, score in enumerate(scores[row]):
            candidate = everything[other]
            if score >= threshold and candidate.zone and candidate.zone.code != zone_code:
                shared[candidate.zone.code].append((candidate, float(score)))
        positions.append(Position(everything[index], dict(shared), replicated[row]))
    return sorted(positions, key=lambda p: (-len(p.shared_with), p.innovation.title))
