"""Similar records, computed when entries change and stored (`SimilarEntry`), never per request.

`rebuild` (run by `zimao reindex`) fits the n-gram weights on every innovation, item and passage
entry, stores them, and writes each entry's `TOP` nearest entries, a batch of entries per short
transaction. After that, an entry that is (re)indexed is scored after its transaction commits:
the full-text index retrieves candidates sharing its longer words, the stored weights score them
(no refitting), and the entry's own list is replaced; where it now beats the weakest of a
candidate's list it enters that list too. Deleting an entry deletes its rows in both directions.
Pages read the table, filtered by what the reader may see.
"""

import threading
from collections.abc import Iterable

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Min, Q

from zimao.text.similarity import Weights

from .backends import Filters, get_backend
from .models import SearchEntry, SimilarEntry, SimilarityWeights

KINDS = ("innovation", "item", "passage")
TOP = 20  # neighbours kept per entry
CANDIDATES = 200  # full-text candidates scored for one changed entry
MIN_SCORE = 0.05  # below this, two texts share only incidental n-grams
BATCH = 200  # entries per block product and per transaction in a rebuild

_state = threading.local()


def entry_text(title: str, body: str) -> str:
    return f"{title} {body[:600]}"


def _document_of(kind: str, object_id: str) -> str | None:
    return object_id.split(":")[0] if kind in {"document", "passage"} else None


def same_record(a: SearchEntry, b: SearchEntry) -> bool:
    """A document's passages are not 'similar documents' of each other."""
    document = _document_of(a.kind, a.object_id)
    return document is not None and document == _document_of(b.kind, b.object_id)


_loaded: dict[tuple[int, object], Weights] = {}


def stored_weights() -> Weights | None:
    """The stored weights, read and unpacked once per process and fit."""
    latest = SimilarityWeights.objects.order_by("-pk").values_list("pk", "fitted_at").first()
    if latest is None:
        return None
    if latest not in _loaded:
        row = SimilarityWeights.objects.get(pk=latest[0])
        _loaded.clear()
        _loaded[latest] = Weights.from_bytes(row.documents, bytes(row.df))
    return _loaded[latest]


def _save_weights(weights: Weights) -> None:
    with transaction.atomic():
        SimilarityWeights.objects.all().delete()
        SimilarityWeights.objects.create(documents=weights.documents, df=weights.to_bytes())


def rebuild(batch: int = BATCH) -> int:
    """Refit the weights on every entry that can be similar and recompute every entry's
    neighbours, `batch` entries per transaction; return how many rows were written."""
    rows = list(
        SearchEntry.objects.filter(kind__in=KINDS)
        .order_by("pk")
        .values_list("pk", "kind", "object_id", "title", "body")
    )
    if not rows:
        _save_weights(Weights.fit([]))
        return 0
    weights, matrix = Weights.fit_transform([entry_text(r[3], r[4]) for r in rows])
    _save_weights(weights)
    pks = np.array([r[0] for r in rows])
    documents = [_document_of(r[1], r[2]) for r in rows]
    written = 0
    for start in range(0, len(rows), batch):
        product = (matrix[start : start + batch] @ matrix.T).tocsr()
        found: list[tuple[int, int, float]] = []
        for offset in range(product.shape[0]):
            row = start + offset
            lo, hi = product.indptr[offset], product.indptr[offset + 1]
            columns, scores = product.indices[lo:hi], product.data[lo:hi]
            kept = 0
            for position in np.argsort(-scores):
                column, score = int(columns[position]), float(scores[position])
                if score < MIN_SCORE or kept == TOP:
                    break
                if column == row or (documents[row] and documents[row] == documents[column]):
                    continue
                found.append((int(pks[row]), int(pks[column]), score))
                kept += 1
        written += _write_batch([int(p) for p in pks[start : start + batch]], found)
    return written


def _write_batch(entry_ids: list[int], found: list[tuple[int, int, float]]) -> int:
    """Replace the neighbours of `entry_ids`, skipping entries deleted meanwhile. Plain
    INSERTs: a rebuild writes millions of rows, and model instances would triple its time."""
    with transaction.atomic():
        involved = set(entry_ids) | {f[1] for f in found}
        alive = set(SearchEntry.objects.filter(pk__in=involved).values_list("pk", flat=True))
        SimilarEntry.objects.filter(entry_id__in=entry_ids).delete()
        kept = [f for f in found if f[0] in alive and f[1] in alive]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_similarentry (entry_id, other_id, score) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING",  # a row an incremental update wrote meanwhile
                kept,
            )
    return len(kept)


def schedule(entry_ids: Iterable[int]) -> None:
    """Score these entries once the current transaction commits (all pending ones at once)."""
    pending: set[int] = getattr(_state, "pending", set())
    pending.update(entry_ids)
    _state.pending = pending
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    pending: set[int] = getattr(_state, "pending", set())
    if not pending:
        return
    ids = sorted(pending)
    pending.clear()
    refresh(ids)


def refresh(entry_ids: Iterable[int]) -> None:
    """Recompute the neighbours of these entries with the stored weights (fitting them, and
    every list, the first time). The texts of all of them and of all their candidates are
    weighted in one pass: a document's passages arrive together."""
    weights = stored_weights()
    if weights is None:
        rebuild()
        return
    entries = list(SearchEntry.objects.filter(pk__in=list(entry_ids), kind__in=KINDS))
    if not entries:
        return
    candidates = {entry.pk: _candidates(entry) for entry in entries}
    texts: dict[int, SearchEntry] = {e.pk: e for e in entries}
    for found in candidates.values():
        texts.update((c.pk, c) for c in found)
    order = {pk: row for row, pk in enumerate(texts)}
    matrix = weights.transform([entry_text(e.title, e.body) for e in texts.values()])
    for entry in entries:
        found = candidates[entry.pk]
        scores = (matrix[[order[c.pk] for c in found]] @ matrix[order[entry.pk]].T).toarray()
        ranked = sorted(
            ((float(s), c) for s, c in zip(scores.ravel(), found, strict=True) if s >= MIN_SCORE),
            key=lambda pair: (-pair[0], pair[1].pk),
        )
        _store(entry, ranked)


def _candidates(entry: SearchEntry) -> list[SearchEntry]:
    words = sorted({t for t in entry.tokens.split() if len(t) >= 2}, key=len, reverse=True)[:15]
    if not words:
        return []
    _, hits = get_backend().search(
        words, Filters(access=Q()), limit=CANDIDATES, offset=0, any_token=True
    )
    ids = [h.entry_id for h in hits if h.entry_id != entry.pk]
    found = SearchEntry.objects.filter(pk__in=ids, kind__in=KINDS).only(
        "pk", "kind", "object_id", "title", "body"
    )
    return [c for c in found if not same_record(c, entry)]


def _store(entry: SearchEntry, ranked: list[tuple[float, SearchEntry]]) -> None:
    with transaction.atomic():
        SimilarEntry.objects.filter(Q(entry=entry) | Q(other=entry)).delete()
        SimilarEntry.objects.bulk_create(
            (SimilarEntry(entry=entry, other=c, score=s) for s, c in ranked[:TOP]),
            ignore_conflicts=True,
        )
        _enter_lists(entry, ranked)


def _enter_lists(entry: SearchEntry, ranked: list[tuple[float, SearchEntry]]) -> None:
    """Add `entry` to each candidate's list where it ranks among that candidate's TOP."""
    lists = {
        row["entry"]: (row["n"], row["low"])
        for row in SimilarEntry.objects.filter(entry__in=[c.pk for _, c in ranked])
        .values("entry")
        .annotate(n=Count("id"), low=Min("score"))
    }
    added, weakest = [], Q(pk__in=[])
    for score, candidate in ranked:
        size, low = lists.get(candidate.pk, (0, 0.0))
        if size >= TOP and score <= low:
            continue
        if size >= TOP:  # the list's weakest row makes room (ties go together)
            weakest |= Q(entry=candidate, score=low)
        added.append(SimilarEntry(entry=candidate, other=entry, score=score))
    SimilarEntry.objects.filter(weakest).delete()
    SimilarEntry.objects.bulk_create(added, ignore_conflicts=True)
