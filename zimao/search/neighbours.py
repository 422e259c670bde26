"""Similar records, computed when entries change and stored (`SimilarEntry`), never per request.

`rebuild` (run by `zimao reindex`) fits the n-gram weights on every innovation, item and passage
entry, stores them, and writes each entry's `TOP` nearest entries, a batch of entries per short
transaction. After that, changed entries are scored in batches (`refresh`): the full-text index
retrieves each one's candidates, the stored weights weigh the entries and the union of their
candidates in one transform (no refitting), one sparse product scores them all, and in one short
transaction each entry's own list is replaced and the entry enters the lists of candidates whose
weakest row it now beats. A write only marks its changed entries pending (`SimilarPending`), in
its own transaction; the background refresh (a queued task for the job worker, or the end of a
bulk load or ingestion) scores them, many writes at once, so a write and its answer stay cheap
and an edit's similar records follow a moment later.
Deleting an entry deletes its rows in both directions. Pages read the table, filtered by what
the reader may see.
"""

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from zimao.lib.dbstats import refresh_statistics
from zimao.text.similarity import Weights

from .backends import Filters, get_backend
from .models import EDITORIAL_MARK, SearchEntry, SimilarEntry, SimilarityWeights, SimilarPending

KINDS = ("innovation", "item", "passage")
TOP = 20  # neighbours kept per entry
CANDIDATES = 200  # full-text candidates scored for one changed entry (or document)
QUERY_WORDS = 15  # the longest words of the entry (or its document's passages) searched for
MIN_SCORE = 0.05  # below this, two texts share only incidental n-grams
BATCH = 200  # entries per block product and per transaction in a rebuild

_state = threading.local()
logger = logging.getLogger(__name__)


def entry_text(title: str, body: str) -> str:
    """The text scored for similarity: official wording only (an item's editorial everyday
    words would pull near-duplicates apart and below the duplicate threshold)."""
    return f"{title} {body.split(EDITORIAL_MARK, 1)[0][:600]}"


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
    """Store the fitted weights, unless the stored ones are the same (no write, no lock)."""
    data = weights.to_bytes()
    stored = [(n, bytes(df)) for n, df in SimilarityWeights.objects.values_list("documents", "df")]
    if stored == [(weights.documents, data)]:  # (PostgreSQL reads a memoryview)
        return
    with transaction.atomic():
        SimilarityWeights.objects.all().delete()
        SimilarityWeights.objects.create(documents=weights.documents, df=data)


def rebuild(batch: int = BATCH) -> int:
    """Refit the weights on every entry that can be similar and recompute every entry's
    neighbours, `batch` entries at a time; only the entries whose list differs from the stored
    one are rewritten, in one short transaction per batch (a batch with none takes no write
    lock). Return how many rows were written."""
    waiting = list(SimilarPending.objects.values_list("entry_id", flat=True))
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
        stale = _lists_that_differ([int(p) for p in pks[start : start + batch]], found)
        if stale:  # a refit on the same texts changes nothing: no write, no lock
            written += _write_batch(sorted(stale), [f for f in found if f[0] in stale])
            let_writers_in()
    for ids in _chunks(waiting):  # scored above; entries changed since stay pending
        SimilarPending.objects.filter(entry_id__in=ids).delete()
    refresh_statistics(sampled=True)  # the table was rewritten: the planner's figures with it
    return written


# Two scores closer than this are the same: a refit after a few edits elsewhere moves every
# score in its last digits, and rewriting 20 rows per entry for that would hold the write lock
# for most of a rebuild. Pages show scores to two decimals.
SCORE_TOLERANCE = 1e-4


def _lists_that_differ(entry_ids: list[int], found: list[tuple[int, int, float]]) -> set[int]:
    """The entries whose computed neighbours (`found`) differ from the stored rows: another
    neighbour, or a score moved by more than SCORE_TOLERANCE. Read with no transaction open."""
    wanted: dict[int, dict[int, float]] = {pk: {} for pk in entry_ids}
    for entry, other, score in found:
        wanted[entry][other] = score
    stored: dict[int, dict[int, float]] = {pk: {} for pk in entry_ids}
    for ids in _chunks(entry_ids):
        for entry, other, score in SimilarEntry.objects.filter(entry_id__in=ids).values_list(
            "entry_id", "other_id", "score"
        ):
            stored[entry][other] = score
    return {
        pk
        for pk in entry_ids
        if wanted[pk].keys() != stored[pk].keys()
        or any(
            abs(score - stored[pk][other]) > SCORE_TOLERANCE for other, score in wanted[pk].items()
        )
    }


# After each write transaction of a long rebuild, a pause this long: on SQLite, writers
# waiting for the lock poll for it, and a rebuild that began its next transaction at once
# would take it again before they woke.
YIELD_SECONDS = 0.05


def let_writers_in() -> None:
    """Between two write transactions of a long rebuild: give waiting writers their turn."""
    if connection.vendor == "sqlite":
        time.sleep(YIELD_SECONDS)


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


PENDING_CHUNK = 2000  # pending entries scored together (one transform, one product)
WRITE_CHUNK = 500  # ids per IN (…) list


def schedule(entry_ids: Iterable[int]) -> None:
    """Have these entries (of KINDS) scored by the background refresh (`refresh_pending`): they are
    marked pending in the caller's transaction, and once it commits a worker is asked to
    score every pending entry together. A write (and its answer) never waits for the
    scoring, and many writes in quick succession are scored in one batch."""
    scored = sorted(entry_ids)
    if not scored:
        return
    SimilarPending.objects.bulk_create(
        [SimilarPending(entry_id=pk) for pk in scored], ignore_conflicts=True
    )
    transaction.on_commit(_kick, robust=True)


def _kick() -> None:
    """Have a worker run the refresh, unless a batch (`batched`) runs it at its end or a
    refresh is already waiting in the queue. A failure here loses nothing: the entries stay
    pending for the next refresh or reindex."""
    if getattr(_state, "batched", 0):
        return
    try:
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from .tasks import refresh_similar

        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=refresh_similar.module_path
        )
        if not waiting.exists():
            refresh_similar.enqueue()
    except Exception:
        logger.exception("could not queue the similar-record refresh; entries stay pending")


@contextmanager
def batched(*, now: bool = True) -> Iterator[None]:
    """Within this block (a bulk ingestion), pending entries are not handed to a worker one
    commit at a time: at its end they are all scored in this process (`now`), or handed to a
    worker once."""
    _state.batched = getattr(_state, "batched", 0) + 1
    try:
        yield
    finally:
        _state.batched -= 1
        if not _state.batched:
            if now:
                try:
                    refresh_pending()
                except Exception:
                    logger.exception("similar-record refresh failed; entries stay pending")
                    _kick()
            else:
                _kick()


def refresh_pending(chunk: int = PENDING_CHUNK) -> int:
    """Score every pending entry, `chunk` at a time; return how many were scored. An entry
    changed again meanwhile is pending again and scored by the next round."""
    done = 0
    while True:
        ids = list(
            SimilarPending.objects.order_by("entry_id").values_list("entry_id", flat=True)[:chunk]
        )
        if not ids:
            if done >= chunk:  # a bulk ingestion grew the tables (not a few edits)
                refresh_statistics(sampled=True)
            return done
        with transaction.atomic():
            SimilarPending.objects.filter(entry_id__in=ids).delete()
        try:
            refresh(ids)
        except BaseException:
            SimilarPending.objects.bulk_create(
                [SimilarPending(entry_id=pk) for pk in ids], ignore_conflicts=True
            )
            raise
        done += len(ids)


def refresh(entry_ids: Iterable[int]) -> None:
    """Recompute the neighbours of these entries with the stored weights (fitting them, and
    every list, the first time), all at once: the full-text index gives each its candidates,
    the entries and the union of their candidates are weighted in one transform (each text
    once), one sparse product scores them, and the rows are written in bulk."""
    weights = stored_weights()
    if weights is None:
        rebuild()
        return
    entries = list(
        SearchEntry.objects.filter(pk__in=list(entry_ids), kind__in=KINDS)
        .order_by("pk")
        .only("pk", "kind", "object_id", "title", "body", "tokens")
    )
    if not entries:
        return
    batch_ids = [e.pk for e in entries]
    candidate_ids: set[int] = set()
    for group in _groups(entries):
        candidate_ids.update(_candidate_ids(group))
    candidate_ids.difference_update(batch_ids)
    texts: list[tuple[int, str, str]] = [(e.pk, e.kind, e.object_id) for e in entries]
    bodies = [entry_text(e.title, e.body) for e in entries]
    for start in range(0, len(sorted_ids := sorted(candidate_ids)), WRITE_CHUNK):
        for pk, kind, object_id, title, body in (
            SearchEntry.objects.filter(
                pk__in=sorted_ids[start : start + WRITE_CHUNK], kind__in=KINDS
            )
            .order_by("pk")
            .values_list("pk", "kind", "object_id", "title", "body")
        ):
            texts.append((pk, kind, object_id))
            bodies.append(entry_text(title, body))
    matrix = weights.transform(bodies)
    own, offered = _rank(matrix, len(entries), np.array([t[0] for t in texts]), texts)
    _store_batch(batch_ids, own, offered)


def _rank(
    matrix: Any, count: int, pks: np.ndarray, texts: list[tuple[int, str, str]]
) -> tuple[list[tuple[int, int, float]], dict[int, list[tuple[float, int]]]]:
    """The first `count` rows of `matrix` (the entries) scored against every row, a block of
    entries at a time: each entry's TOP (itself and its own document's passages left out),
    and for each other row (a candidate) the TOP entries that would enter its list."""
    keys: dict[str, int] = {}
    documents = np.array(
        [keys.setdefault(d, len(keys)) if (d := _document_of(t[1], t[2])) else -1 for t in texts]
    )
    others = matrix.shape[0] - count
    best_scores = np.zeros((TOP, others), dtype=np.float32)
    best_rows = np.full((TOP, others), -1)
    own: list[tuple[int, int, float]] = []
    for start in range(0, count, BATCH):
        stop = min(count, start + BATCH)
        block = (matrix[start:stop] @ matrix.T).toarray().astype(np.float32)
        rows = np.arange(start, stop)
        block[rows - start, rows] = 0
        mine = documents[rows]
        block[(mine[:, None] == documents[None, :]) & (mine[:, None] >= 0)] = 0
        block[block < MIN_SCORE] = 0
        order = np.argsort(-block, axis=1, kind="stable")[:, :TOP]
        scores = np.take_along_axis(block, order, axis=1)
        for offset, row in enumerate(rows):
            for column, score in zip(order[offset], scores[offset], strict=True):
                if score <= 0:
                    break
                own.append((int(pks[row]), int(pks[column]), float(score)))
        if others:
            stacked = np.vstack([best_scores, block[:, count:]])
            stacked_rows = np.vstack([best_rows, np.repeat(rows[:, None], others, axis=1)])
            keep = np.argsort(-stacked, axis=0, kind="stable")[:TOP]
            best_scores = np.take_along_axis(stacked, keep, axis=0)
            best_rows = np.take_along_axis(stacked_rows, keep, axis=0)
    offered: dict[int, list[tuple[float, int]]] = {}
    for place, column in zip(*np.nonzero(best_scores > 0), strict=True):
        offered.setdefault(int(pks[count + column]), []).append(
            (float(best_scores[place, column]), int(pks[best_rows[place, column]]))
        )
    return own, offered


def _groups(entries: list[SearchEntry]) -> list[list[SearchEntry]]:
    """The passages of one document go together (one full-text query finds candidates for
    all of them: they are scored against the union anyway); other entries go alone."""
    groups: dict[str, list[SearchEntry]] = {}
    for entry in entries:
        key = _document_of(entry.kind, entry.object_id) or f"{entry.kind}:{entry.object_id}"
        groups.setdefault(key, []).append(entry)
    return list(groups.values())


def _candidate_ids(group: list[SearchEntry]) -> list[int]:
    """Entries sharing the group's longer words (a word of a passage's own, then of the
    next, so that every passage brings some), by full-text rank."""
    per_entry = [
        sorted({t for t in e.tokens.split() if len(t) >= 2}, key=lambda w: (-len(w), w))
        for e in group
    ]
    words: list[str] = []
    for rank in range(QUERY_WORDS):
        for own in per_entry:
            if rank < len(own) and own[rank] not in words and len(words) < QUERY_WORDS:
                words.append(own[rank])
    if not words:
        return []
    found = get_backend().search(
        words,
        Filters(access=Q()),
        limit=CANDIDATES,
        offset=0,
        any_token=True,
        candidates=settings.SEARCH_CANDIDATES or None,  # common words: rank a bounded set
    )
    return [h.entry_id for h in found.hits]


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), WRITE_CHUNK):
        yield ids[start : start + WRITE_CHUNK]


def _store_batch(
    batch_ids: list[int],
    own: list[tuple[int, int, float]],
    offered: dict[int, list[tuple[float, int]]],
) -> None:
    """In one short transaction: replace the entries' own lists, drop them from every other
    list, and enter them where they now rank among a candidate's TOP (the candidate's weakest
    rows making room). Entries deleted meanwhile are skipped."""
    with transaction.atomic():
        involved = sorted(set(batch_ids) | {o[1] for o in own} | set(offered))
        alive: set[int] = set()
        for ids in _chunks(involved):
            alive.update(SearchEntry.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for ids in _chunks(batch_ids):
            SimilarEntry.objects.filter(Q(entry_id__in=ids) | Q(other_id__in=ids)).delete()
        rows = [r for r in own if r[0] in alive and r[1] in alive]
        removed: list[int] = []
        for ids in _chunks(sorted(c for c in offered if c in alive)):
            lists: dict[int, list[tuple[float, int, int]]] = {}
            for pk, entry_id, other_id, score in SimilarEntry.objects.filter(
                entry_id__in=ids
            ).values_list("pk", "entry_id", "other_id", "score"):
                lists.setdefault(entry_id, []).append((score, -other_id, pk))
            for candidate in ids:
                current = lists.get(candidate, [])
                offers = [(s, -e, 0) for s, e in offered[candidate] if e in alive]
                merged = sorted(current + offers, reverse=True)  # equal scores: older first
                removed += [m[2] for m in merged[TOP:] if m[2]]
                rows += [(candidate, -m[1], m[0]) for m in merged[:TOP] if not m[2]]
        for ids in _chunks(removed):
            SimilarEntry.objects.filter(pk__in=ids).delete()
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_similarentry (entry_id, other_id, score) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                rows,
            )
