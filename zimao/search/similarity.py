"""Similar records: the full-text index retrieves candidates sharing the entry's longer words,
then character n-gram TF-IDF cosine (zimao.text.similarity) re-ranks them."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from zimao.text.similarity import vectorize

from .backends import Filters, get_backend
from .models import SearchEntry

CANDIDATES = 200


def entry_text(entry: SearchEntry) -> str:
    return f"{entry.title} {entry.body[:600]}"


@dataclass(frozen=True)
class Similar:
    entry: SearchEntry
    score: float


def similar_entries(
    entry: SearchEntry,
    *,
    access: Q,
    kinds: Sequence[str] = ("innovation", "item", "passage"),
    limit: int = 5,
) -> list[Similar]:
    """The entries most like `entry` among those `access` lets the caller see, best first
    (other records only)."""
    words = sorted({t for t in entry.tokens.split() if len(t) >= 2}, key=len, reverse=True)[:15]
    if not words:
        return []
    _, hits = get_backend().search(
        words, Filters(access=access), limit=CANDIDATES, offset=0, any_token=True
    )
    found = SearchEntry.objects.filter(access).in_bulk([h.entry_id for h in hits])
    candidates = [
        found[h.entry_id]
        for h in hits
        if h.entry_id in found
        and h.entry_id != entry.pk
        and found[h.entry_id].kind in kinds
        and not _same_record(found[h.entry_id], entry)
    ]
    if not candidates:
        return []
    matrix = vectorize([entry_text(entry)] + [entry_text(c) for c in candidates])
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    order = np.argsort(-scores)[:limit]
    return [Similar(candidates[i], float(scores[i])) for i in order if scores[i] > 0]


def _document_of(entry: SearchEntry) -> str | None:
    return entry.object_id.split(":")[0] if entry.kind in {"document", "passage"} else None


def _same_record(a: SearchEntry, b: SearchEntry) -> bool:
    """A document's passages are not 'similar documents' of each other."""
    return _document_of(a) is not None and _document_of(a) == _document_of(b)
