"""差异化: which of a zone's innovations other zones also have, and which are its own."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from zimao.reforms.models import Innovation
from zimao.text.similarity import DUPLICATE_THRESHOLD, vectorize


@dataclass
class Position:
    innovation: Innovation
    shared_with: dict[str, list[tuple[Innovation, float]]] = field(default_factory=dict)

    @property
    def unique(self) -> bool:
        return not self.shared_with


def zone_differentiation(
    zone_code: str,
    innovations: QuerySet[Innovation] | None = None,
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[Position]:
    """Each innovation of the zone with the other zones' innovations that describe the same
    reform (n-gram cosine ≥ threshold); shared ones first, by how many zones share them.
    Only `innovations` (by default all; pages pass what the user may see) are compared."""
    pool = innovations if innovations is not None else Innovation.objects.all()
    everything = list(pool.select_related("zone").exclude(zone=None))
    own = [i for i, inn in enumerate(everything) if inn.zone and inn.zone.code == zone_code]
    if not own:
        return []
    matrix = vectorize([f"{i.title} {i.mechanism[:600]}" for i in everything])
    scores = (matrix[own] @ matrix.T).toarray()
    positions = []
    for row, index in enumerate(own):
        shared: dict[str, list[tuple[Innovation, float]]] = defaultdict(list)
        for other, score in enumerate(scores[row]):
            candidate = everything[other]
            if score >= threshold and candidate.zone and candidate.zone.code != zone_code:
                shared[candidate.zone.code].append((candidate, float(score)))
        positions.append(Position(everything[index], dict(shared)))
    return sorted(positions, key=lambda p: (-len(p.shared_with), p.innovation.title))
