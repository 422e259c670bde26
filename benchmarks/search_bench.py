"""Search and similarity benchmarks (called by run.py with Django set up on a fresh SQLite)."""

import math
import random
import statistics
import time
from typing import Any

import numpy as np

from benchmarks.genre import sentences
from benchmarks.reforms import ACTIONS, OBJECTS, innovations

SHORT_QUERIES = ["退税", "签证", "登记", "通关", "查验", "融资", "备案", "注销"]


def passages(count: int) -> list[dict[str, Any]]:
    rng = random.Random(21)
    records = innovations(count, seed=13)
    filler = sentences(2000, seed=3)
    out = []
    for index, rec in enumerate(records):
        body = rec.text + rng.choice(filler)
        out.append(
            {
                "topic": rec.topic,
                "zone": rec.zone,
                "year": rng.randint(2014, 2024),
                "body": body,
                "id": index,
            }
        )
    return out


def queries() -> list[tuple[str, Any]]:
    """(query, relevance test on a topic)."""
    out: list[tuple[str, Any]] = []
    for k, name in enumerate(OBJECTS[:20]):
        out.append((name, lambda t, k=k: t[0] == k))
    for k, names in enumerate(ACTIONS):
        out.append((names[0], lambda t, k=k: t[1] == k))
    for word in SHORT_QUERIES:
        out.append((word, lambda t, w=word: w in OBJECTS[t[0]]))
    return out


def topic_queries(docs: list[dict[str, Any]], count: int = 40) -> list[tuple[str, str, Any]]:
    """(query, zone, grade of a passage) for one reform topic within one zone.

    The query names the object and the first wording of the action; passages of the topic may
    use another wording. Grades: 3 the same topic in that zone, 1 the same object or the same
    action only (a neighbouring reform), 0 otherwise.
    """
    rng = random.Random(17)
    zones = sorted({d["zone"] for d in docs})
    out = []
    for _ in range(count):
        obj, act, zone = rng.randrange(len(OBJECTS)), rng.randrange(len(ACTIONS)), rng.choice(zones)

        def grade(doc: dict[str, Any], obj: int = obj, act: int = act, zone: str = zone) -> int:
            if doc["zone"] != zone:
                return 0
            if doc["topic"] == (obj, act):
                return 3
            return 1 if doc["topic"][0] == obj or doc["topic"][1] == act else 0

        out.append((f"{OBJECTS[obj]} {ACTIONS[act][0]}", zone, grade))
    return out


def ndcg(grades: list[int], best: list[int], k: int = 10) -> float:
    """nDCG@k with gain 2^grade - 1; `best` holds the grades of every passage of the query."""
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))
    top = sorted(best, reverse=True)[:k]
    ideal = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(top))
    return dcg / ideal if ideal else 0.0


def trigram_ids(text: str, zone: str = "", *, like: bool) -> list[int]:
    """Top 10 rowids from the trigram table: every word of `text` as an FTS5 phrase, ranked by
    BM25. A word under 3 characters cannot be a trigram MATCH: it finds nothing, or, with
    `like`, the query becomes LIKE '%word%' for every word, ranked by how often they occur.

    The LIKE runs on `body || ''`: SQLite 3.40 hands a LIKE on the column itself to the trigram
    index, which then returns no rows for two CJK characters (it counts bytes, not characters).
    """
    from django.db import connection

    words = text.split()
    join = "JOIN search_searchentry e ON e.id = t.rowid AND e.zone = %s " if zone else ""
    head = [zone] if zone else []
    if all(len(w) >= 3 for w in words):
        sql = (
            f"SELECT t.rowid FROM bench_tri t {join}WHERE bench_tri MATCH %s "  # noqa: S608
            "ORDER BY t.rank LIMIT 10"
        )
        params = [*head, " AND ".join('"' + w + '"' for w in words)]
    elif like:
        occurrences = " + ".join(
            "(length(t.body) - length(replace(t.body, %s, ''))) / length(%s)" for _ in words
        )
        sql = (
            f"SELECT t.rowid FROM bench_tri t {join}WHERE "  # noqa: S608 - placeholders only
            + " AND ".join("t.body || '' LIKE %s" for _ in words)
            + f" ORDER BY {occurrences} DESC, t.rowid LIMIT 10"
        )
        params = [*head, *[f"%{w}%" for w in words], *[x for w in words for x in (w, w)]]
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _percentiles(samples: list[float]) -> dict[str, float]:
    values = np.array(samples) * 1000
    return {p: float(np.percentile(values, int(p[1:]))) for p in ("p50", "p95", "p99")}


def search_benchmark(count: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from zimao.search.backends import Filters
    from zimao.search.models import SearchEntry
    from zimao.search.selectors import search
    from zimao.search.services import tokens_of

    docs = passages(count)
    SearchEntry.objects.all().delete()
    started = time.perf_counter()
    batch = []
    for doc in docs:
        batch.append(
            SearchEntry(
                kind="passage",
                object_id=str(doc["id"]),
                title="",
                body=doc["body"],
                url="",
                zone=doc["zone"],
                year=doc["year"],
                tokens=tokens_of(doc["body"]),
            )
        )
        if len(batch) == 5000:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    ours_build = time.perf_counter() - started
    ids = dict(SearchEntry.objects.values_list("id", "object_id"))
    # One transaction, as bulk_create gives the Zimao index: row-by-row commits would make the
    # baseline's build look ten times slower than it is.
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("CREATE VIRTUAL TABLE bench_tri USING fts5(body, tokenize='trigram')")
        cursor.executemany(
            "INSERT INTO bench_tri(rowid, body) VALUES (%s, %s)",
            [(pk, docs[int(oid)]["body"]) for pk, oid in ids.items()],
        )
        tri_build = time.perf_counter() - started

    rng = random.Random(4)
    zones = [d["zone"] for d in docs[:50]]
    concepts = [
        (
            text,
            [rng.choice(zones) for _ in range(5)],
            is_relevant,
            [is_relevant(d["topic"]) for d in docs],
        )
        for text, is_relevant in queries()
    ]
    topics = [
        (text, zone, grade, [grade(d) for d in docs]) for text, zone, grade in topic_queries(docs)
    ]
    systems = {
        "ours": lambda text, zone="": [
            int(ids[r.entry.id])
            for r in search(text, Filters(zone=zone) if zone else None, limit=10, user=None).results
        ],
        "tri": lambda text, zone="": [int(ids[i]) for i in trigram_ids(text, zone, like=False)],
        "tri_like": lambda text, zone="": [int(ids[i]) for i in trigram_ids(text, zone, like=True)],
    }
    out: dict[str, Any] = {"count": count, "queries": len(concepts), "topics": len(topics)}
    out["ours_rate"], out["tri_rate"] = count / ours_build, count / tri_build
    for name, run in systems.items():
        binary, graded, times = [], [], []
        for text, latency_zones, is_relevant, relevant in concepts:
            found = [int(is_relevant(docs[i]["topic"])) for i in run(text)]
            binary.append(ndcg(found, [int(r) for r in relevant]))
            for zone in latency_zones:  # latency with a zone filter, top 10
                started = time.perf_counter()
                run(text, zone)
                times.append(time.perf_counter() - started)
        topic_times = []
        for text, zone, grade, every in topics:
            started = time.perf_counter()
            found = run(text, zone)
            topic_times.append(time.perf_counter() - started)
            graded.append(ndcg([grade(docs[i]) for i in found], every))
        out[f"{name}_topic"] = _percentiles(topic_times)
        out[name] = _percentiles(times)
        out[f"{name}_ndcg"] = statistics.mean(binary)
        out[f"{name}_graded"] = statistics.mean(graded)
    return out
