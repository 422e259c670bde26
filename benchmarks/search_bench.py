"""Search and similarity benchmarks (called by run.py with Django set up on a fresh SQLite)."""

import math
import random
import statistics
import time
from typing import Any

import numpy as np

from benchmarks.genre import sentences
from benchmarks.reforms import ACTIONS, OBJECTS, innovations, labelled_pairs

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


def _metrics(ranked: list[list[bool]], totals: list[int]) -> tuple[float, float]:
    """MRR@10 and nDCG@10 over the queries."""
    mrr, ndcg = [], []
    for flags, relevant in zip(ranked, totals, strict=True):
        first = next((i for i, f in enumerate(flags) if f), None)
        mrr.append(1 / (first + 1) if first is not None else 0.0)
        dcg = sum(1 / math.log2(i + 2) for i, f in enumerate(flags) if f)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(relevant, 10)))
        ndcg.append(dcg / ideal if ideal else 0.0)
    return statistics.mean(mrr), statistics.mean(ndcg)


def _percentiles(samples: list[float]) -> dict[str, float]:
    values = np.array(samples) * 1000
    return {p: float(np.percentile(values, int(p[1:]))) for p in ("p50", "p95", "p99")}


def search_benchmark(count: int) -> dict[str, Any]:
    from django.db import connection

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
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("CREATE VIRTUAL TABLE bench_tri USING fts5(body, tokenize='trigram')")
        cursor.executemany(
            "INSERT INTO bench_tri(rowid, body) VALUES (%s, %s)",
            [(pk, docs[int(oid)]["body"]) for pk, oid in ids.items()],
        )
        tri_build = time.perf_counter() - started

    rng = random.Random(4)
    zones = [d["zone"] for d in docs[:50]]
    ours_times, tri_times = [], []
    ours_ranked, tri_ranked, totals = [], [], []
    for text, is_relevant in queries():
        totals.append(sum(is_relevant(d["topic"]) for d in docs))
        outcome = search(text, limit=10)
        ours_ranked.append(
            [is_relevant(docs[int(r.entry.object_id)]["topic"]) for r in outcome.results]
        )
        rows: list[tuple[int]] = []
        if len(text) >= 3:  # the trigram tokenizer cannot match shorter queries
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid FROM bench_tri WHERE bench_tri MATCH %s ORDER BY rank LIMIT 10",
                    ['"' + text + '"'],
                )
                rows = cursor.fetchall()
        tri_ranked.append([is_relevant(docs[int(ids[r[0]])]["topic"]) for r in rows])
        for _ in range(5):  # latency with a zone filter, top 10
            zone = rng.choice(zones)
            started = time.perf_counter()
            search(text, Filters(zone=zone), limit=10)
            ours_times.append(time.perf_counter() - started)
            with connection.cursor() as cursor:
                started = time.perf_counter()
                if len(text) >= 3:
                    cursor.execute(
                        "SELECT t.rowid FROM bench_tri t JOIN search_searchentry e ON e.id = t.rowid "
                        "WHERE bench_tri MATCH %s AND e.zone = %s ORDER BY t.rank LIMIT 10",
                        ['"' + text + '"', zone],
                    )
                    cursor.fetchall()
                tri_times.append(time.perf_counter() - started)
    ours_mrr, ours_ndcg = _metrics(ours_ranked, totals)
    tri_mrr, tri_ndcg = _metrics(tri_ranked, totals)
    return {
        "count": count,
        "ours_rate": count / ours_build,
        "tri_rate": count / tri_build,
        "ours": _percentiles(ours_times),
        "tri": _percentiles(tri_times),
        "ours_mrr": ours_mrr,
        "ours_ndcg": ours_ndcg,
        "tri_mrr": tri_mrr,
        "tri_ndcg": tri_ndcg,
        "queries": len(totals),
    }


def similarity_benchmark(count: int) -> dict[str, Any]:
    from zimao.text.similarity import DUPLICATE_THRESHOLD, clusters, vectorize

    records = innovations(count)
    texts = [r.text for r in records]
    pairs = labelled_pairs(records, 4000)
    truth = np.array([p[2] for p in pairs])
    matrix = vectorize(texts)
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    scores = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    thresholds = []
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        predicted = scores >= threshold
        tp = int((predicted & truth).sum())
        precision = tp / max(int(predicted.sum()), 1)
        recall = tp / int(truth.sum())
        thresholds.append((threshold, precision, recall))
    started = time.perf_counter()
    groups = clusters(texts)
    seconds = time.perf_counter() - started
    label = {i: k for k, group in enumerate(groups) for i in group}
    together = np.array([label.get(i, -1) == label.get(j, -2) for i, j, _ in pairs])
    tp = int((together & truth).sum())
    return {
        "count": count,
        "pairs": len(pairs),
        "thresholds": thresholds,
        "default": DUPLICATE_THRESHOLD,
        "seconds": seconds,
        "groups": len(groups),
        "cluster_precision": tp / max(int(together.sum()), 1),
        "cluster_recall": tp / int(truth.sum()),
    }
