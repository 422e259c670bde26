"""`make bench`: speed and quality, measured in one run and written to docs/benchmarks.md.

Extraction: plain jieba segmentation (the baseline), rjieba, full fact extraction on one core,
1 and 2 worker processes, ingestion of 1,000 documents (time and memory per block), quality on
every gold set present (also after converting documents to PDF, Word, HTML, GB18030, UTF-16).
Search: quality on the graded query files benchmarks/gold/search_*queries*.jsonl over the
replication items (benchmarks/search_eval.py); 100,000 synthetic passages, build rate, latency
and nDCG against an FTS5 trigram baseline. Similarity: precision, recall and group purity over
all pairs of 20,000 innovations, previous and current configuration (benchmarks/similar_bench.py). Reports: PDF and Word generation. Routes: queries and latency
of every page at 1×, 10× and 100× records (benchmarks/routes.py; on PostgreSQL too when
DATABASE_URL names one). Load (ZIMAO_BENCH_LOAD=1): the production server under 50 locust users
on SQLite and on PostgreSQL (benchmarks/load.py).

`python benchmarks/run.py --only search` measures the search sections alone and replaces them in
the existing report, dated; `--only similar`, `--only extraction`, `--only routes` and `--only load` do the same
for theirs (benchmarks/similar_bench.py, extraction.py, routes.py, load.py, which also run alone);
`--only longdoc` measures the review page of a 1,278-fact document (benchmarks/long_document.py);
`--only ingest200` times 200 documents' extraction, storing and similar-record refresh apart
(benchmarks/ingest_bench.py); `--only reindex` runs `zimao reindex` while 20 writers edit through
the API, on SQLite and PostgreSQL (benchmarks/reindex_writers.py, also part of the full run).
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.extraction import (  # noqa: E402
    ingestion_summary,
    parallel_lines,
    segmentation_and_extraction,
    throughput_lines,
    workers,
)
from benchmarks.genre import documents  # noqa: E402
from zimao.text.evaluate import evaluate  # noqa: E402
from zimao.text.extract import extract_text  # noqa: E402
from zimao.text.read import read_bytes  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
GOLD_SETS = {
    "held-out set (written apart; its first, unseen measurement is in docs/extraction.md)": (
        ROOT / "tests/heldout",
        None,
    ),
    "genre set (own documents, used while developing)": (ROOT / "tests/genre", None),
    "dev2 set (own documents for the error classes of docs/extraction.md)": (
        ROOT / "tests/dev2",
        None,
    ),
    "dev3 set (own documents: tables, OCR renderings, spoken numbers, effects across clauses)": (
        ROOT / "tests/dev3",
        None,
    ),
    "development corpus (third-party texts, offsets-only gold)": (
        ROOT / "benchmarks/gold",
        CORPUS,
    ),
    "blind set A (written blind; fixed against after its first look)": (
        ROOT / "benchmarks/blind/set-a",
        None,
    ),
    "blind set B (written blind; fixed against after its first look)": (
        ROOT / "benchmarks/blind/set-b",
        None,
    ),
    "blind set C (written blind; fixed against after its first look)": (
        ROOT / "benchmarks/blind/set-c",
        None,
    ),
    "blind set D (written blind; fixed against after its first look)": (
        ROOT / "benchmarks/blind/set-d",
        None,
    ),
}
FLOOR = ROOT / "benchmarks" / "quality_floor.json"
BLIND = ROOT / "benchmarks" / "blind"


def query_file_label(file: str) -> str:
    """`search_dev_queries.jsonl`, or `blind/set-a/queries.jsonl` for a blind set's queries."""
    path = Path(file)
    return (
        f"blind/{path.parent.name}/{path.name}" if path.parent.parent.name == "blind" else path.name
    )


def write_floor(scores: dict[str, Any]) -> None:
    """The plain-text figures of every development set, for tests/test_quality_floor.py: a
    later change may not fall below them by more than that test's margin."""
    floor = {}
    for label, (folder, _) in GOLD_SETS.items():
        if label in scores:
            floor[str(folder.relative_to(ROOT))] = {
                kind: {k: round(s[k], 4) for k in ("precision", "recall", "f1")}
                for kind, s in scores[label]["text"].items()
            }
    FLOOR.write_text(json.dumps(floor, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def first_look_lines() -> list[str]:
    """Each blind set's scores at first look (recorded once, never recomputed) next to today's."""
    lines = [
        "## Blind sets: first look",
        "",
        "Each set was written and annotated from `docs/extraction.md` alone, by someone who had "
        "not read the extractor, and scored once before anything was changed because of it "
        "(`benchmarks/blind/README.md`). These first-look figures are the unseen performance; "
        "the same sets' current figures are under Extraction quality (after fixes).",
        "",
        "| set | extractor | type | precision | recall | F1 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for path in sorted(BLIND.glob("set-*/first_look_*.json")):
        commit = path.stem.rsplit("_", 1)[-1]
        scores = json.loads(path.read_text("utf-8"))
        for kind in ("zone", "quantity", "effect", "date", "case", "table_row"):
            if kind in scores:
                s = scores[kind]
                lines.append(
                    f"| {path.parent.name} | {commit} | {kind} | {s['precision']:.3f} | "
                    f"{s['recall']:.3f} | {s['f1']:.3f} |"
                )
    return [*lines, ""]


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def setup_django() -> None:
    """A fresh SQLite database in a temporary folder, migrated."""
    folder = tempfile.mkdtemp(prefix="zimao-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["ZIMAO_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zimao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ingestion(count: int) -> list[dict[str, float]]:
    """Store generated documents through the real service (hash, read, extract, facts, audit,
    search index), 200 at a time."""
    from zimao.accounts.access import SystemActor
    from zimao.documents.analysis import analyse_bytes
    from zimao.documents.services import document_store

    operator = SystemActor("bench")  # as `zimao ingest` stores files
    texts = documents(count, sentences_per_doc=30, seed=99)
    blocks = []
    started = time.perf_counter()
    for i, text in enumerate(texts, start=1):
        data = text.encode()
        document_store(analysis=analyse_bytes(f"doc-{i}.txt", data), data=data, user=operator)
        if i % 200 == 0:
            now = time.perf_counter()
            blocks.append({"documents": i, "seconds": now - started, "rss_mb": rss_mb()})
            started = now
    return blocks


def search_quality() -> list[dict[str, Any]]:
    """The graded query files over the replication items, in a database holding only the
    reference data (run first, so that later benchmarks do not change the word statistics)."""
    from benchmarks.search_eval import evaluate_gold
    from zimao.reference.loader import load_reference

    load_reference()
    return evaluate_gold()


def _scores(
    gold: list[dict[str, Any]], predictions: list[dict[str, Any]], by_text: bool
) -> dict[str, Any]:
    scores, _, _ = evaluate(gold, predictions, by_text=by_text)
    return {kind: s.as_dict() for kind, s in sorted(scores.items())}


def quality() -> dict[str, Any]:
    from tests.text.builders import VARIANTS

    out: dict[str, Any] = {}
    for label, (folder, docs) in GOLD_SETS.items():
        path = folder / ("corpus.jsonl" if docs else "gold.jsonl")
        docs = docs or folder / "docs"
        if not path.exists() or not docs.exists():
            continue
        gold = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        names = sorted({g["doc"] for g in gold})
        texts = {n: read_bytes((docs / n).read_bytes(), n).text for n in names}  # GB18030 too
        plain = [f.as_dict(n) for n in names for f in extract_text(texts[n])]
        result: dict[str, Any] = {"text": _scores(gold, plain, by_text=False)}
        if folder.name != "gold":  # our own documents can be converted to other formats
            for variant, render in sorted(VARIANTS.items()):
                predictions = []
                for n in names:
                    text = read_bytes(
                        render(texts[n]), f"{Path(n).stem}.{variant.split('-')[0]}"
                    ).text
                    predictions += [f.as_dict(n) for f in extract_text(text)]
                result[variant] = _scores(gold, predictions, by_text=True)
        out[label] = result
    return out


def _quality_lines(scores: dict[str, Any]) -> list[str]:
    lines = []
    for label, result in scores.items():
        lines += [
            f"### {label}",
            "",
            "| type | gold | predicted | matched | precision | recall | F1 |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for kind, s in result["text"].items():
            lines.append(
                f"| {kind} | {s['gold']} | {s['predicted']} | {s['matched']} | "
                f"{s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |"
            )
        lines += [
            "",
            "Errors by category (false negatives: missed, wrong fields; false positives: "
            "spurious, wrong fields, duplicate):",
            "",
            "| type | missed | wrong fields (gold) | spurious | wrong fields (predicted) | duplicate |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for kind, s in result["text"].items():
            fn, fp = s["false_negatives"], s["false_positives"]
            lines.append(
                f"| {kind} | {fn.get('missed', 0)} | {fn.get('wrong fields', 0)} | "
                f"{fp.get('spurious', 0)} | {fp.get('wrong fields', 0)} | "
                f"{fp.get('duplicate', 0)} |"
            )
        variants = [v for v in result if v != "text"]
        if variants:
            lines += [
                "",
                "The same documents converted to other formats (matched by text, not offsets):",
                "",
                "| format | quantity F1 | zone F1 | date F1 | effect recall | case F1 | table_row F1 |",
                "| --- | --- | --- | --- | --- | --- | --- |",
            ]
            for variant in variants:
                r = result[variant]
                get = lambda k, m, r=r: r.get(k, {}).get(m, float("nan"))  # noqa: E731
                lines.append(
                    f"| {variant} | {get('quantity', 'f1'):.3f} | {get('zone', 'f1'):.3f} | "
                    f"{get('date', 'f1'):.3f} | {get('effect', 'recall'):.3f} | "
                    f"{get('case', 'f1'):.3f} | {get('table_row', 'f1'):.3f} |"
                )
        lines.append("")
    return lines


SYSTEM_LABELS = {
    "app": "Zimao: synonyms, then relaxed matching when under 10 items have every word",
    "bm25": "baseline: plain BM25 over the official text, any word as typed",
    "all-words": "comparison: every word as typed (any word only when none has them all)",
}


# The blind sets before items had everyday words (release cacaa9e), same harness:
# (MRR@10, recall@10, nDCG@10). Set C has documents only, no queries.
SEARCH_BEFORE = {
    "blind/set-a": {"app": (0.850, 0.656, 0.776), "bm25": (0.758, 0.554, 0.689)},
    "blind/set-b": {"app": (0.800, 0.603, 0.736), "bm25": (0.596, 0.444, 0.536)},
    "blind/set-d": {"app": (0.093, 0.107, 0.066), "bm25": (0.200, 0.120, 0.118)},
}


def _before_after_lines(graded: list[dict[str, Any]]) -> list[str]:
    """Blind sets: the app and plain BM25 before everyday words and now."""
    now = {(query_file_label(g["file"]), g["system"]): g for g in graded}
    lines = [
        "Blind query sets before and after the editorial everyday words of the items "
        "(`replication_item_terms.csv`), spoken-query fillers and the character fallback "
        "(MRR@10 / recall@10 / nDCG@10):",
        "",
        "| blind set | BM25 before | app before | BM25 now | app now |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, before in SEARCH_BEFORE.items():
        label = f"{name}/queries.jsonl"
        cells = [" / ".join(f"{v:.3f}" for v in before[s]) for s in ("bm25", "app")]
        for system in ("bm25", "app"):
            g = now.get((label, system))
            cells.append(
                f"{g['mrr@10']:.3f} / {g['recall@10']:.3f} / {g['ndcg@10']:.3f}" if g else "—"
            )
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return [*lines, ""]


def _search_quality_lines(graded: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Search quality on the replication items",
        "",
        "Graded queries over the 66 replication items of the reference data "
        "(`benchmarks/search_eval.py`): one JSON line per query, "
        '`{"query": …, "judgements": {item code: grade 1–3}}`. Each query runs through '
        "`search()` restricted to items, in a database holding only the reference data; the "
        "first 10 results are scored. MRR@10: 1 / rank of the first judged item. Recall@10: "
        "share of the judged items in the top 10. nDCG@10: gain 2^grade − 1 (grades 1–3), "
        "log2 discount, divided by the best order of the judged items.",
        "",
        "| query file | system | backend | queries | MRR@10 | recall@10 | nDCG@10 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for g in graded:
        lines.append(
            f"| `{query_file_label(g['file'])}` | {SYSTEM_LABELS[g['system']]} | {g['backend']} | "
            f"{g['queries']} | {g['mrr@10']:.3f} | {g['recall@10']:.3f} | {g['ndcg@10']:.3f} |"
        )
    lines += ["", *_before_after_lines(graded)]
    lines += [
        "Plain BM25 (k1 1.2, b 0.75) ranks the items' official text (title, category, "
        "responsible unit, scope) by any query word as typed, with the app's segmenter: no "
        "synonyms, no editorial words. The everyday words were written for all 66 items before "
        "any query file was read; set D's queries share no two-character word with their "
        "items' titles.",
        "",
        "`search_dev_queries.jsonl` was written and graded by meaning while the synonym table "
        "and relaxed matching were built, so its figures are optimistic; a query file written "
        "apart is the fair measure (`python benchmarks/search_eval.py --queries FILE`).",
        "",
    ]
    return lines


def _search_lines(graded: list[dict[str, Any]], search: dict[str, Any]) -> list[str]:
    rows = [
        ("Zimao: FTS5 BM25 over segmented tokens", "ours", search["ours_rate"]),
        ("baseline: FTS5 trigram on raw text, MATCH only", "tri", search["tri_rate"]),
        (
            "baseline: FTS5 trigram, LIKE scan for words under 3 characters",
            "tri_like",
            search["tri_rate"],
        ),
    ]
    lines = [
        "## Search speed and synthetic quality",
        "",
        f"{search['count']:,} synthetic passages (`benchmarks/reforms.py` topics plus genre "
        "sentences). Latency: the whole `search()` call (parsing, segmentation, backend, "
        f"snippets) for {search['queries']} fixed queries, top 10 with a zone filter, 5 runs "
        "each; for the trigram baselines, the bare SQL query. The baselines are a plain SQLite "
        "FTS5 trigram index on the raw text, built in the same run, in one transaction (not "
        "row by row: that made its build look five times slower before). The Zimao build rate "
        "includes segmentation.",
        "",
        f"| index | build (entries/s) | p50 ms | p95 ms | p99 ms | nDCG@10, {search['queries']} "
        f"concept queries | graded nDCG@10, {search['topics']} topic queries |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, key, rate in rows:
        p = search[key]
        lines.append(
            f"| {label} | {rate:,.0f} | {p['p50']:.1f} | {p['p95']:.1f} | {p['p99']:.1f} | "
            f"{search[key + '_ndcg']:.3f} | {search[key + '_graded']:.3f} |"
        )
    lines += [
        "",
        "- Concept queries: 20 procedure names, 10 reform actions (first wording) and 8 "
        "two-character words (退税, 签证 …); a passage is relevant when its topic has that "
        "procedure, action or word. Binary nDCG@10. MRR@10 is no longer reported: each query has "
        "thousands of relevant passages, so every system that finds anything ranks one first.",
        "- Topic queries: a procedure and an action (企业开办 全程网上办理) within one zone. "
        "Grade 3: a passage of that topic in the zone (about ten per query, many worded "
        "differently from the query); grade 1: same procedure or same action only; gain "
        "2^grade − 1. Few passages have both words, so Zimao adds relaxed matches: its latency "
        f"on these queries is p50 {search['ours_topic']['p50']:.1f} ms, p95 "
        f"{search['ours_topic']['p95']:.1f} ms (trigram: p50 {search['tri_topic']['p50']:.1f} "
        f"ms, p95 {search['tri_topic']['p95']:.1f} ms).",
        "- The trigram index cannot MATCH words under 3 characters: with MATCH only, the 8 "
        "two-character queries find nothing. The LIKE configuration scans the text for them "
        "(`body || '' LIKE '%退税%'`, ranked by occurrences); a LIKE on the column itself is "
        "handed to the trigram index by SQLite 3.40, which then returns no rows for two CJK "
        "characters. Both configurations share the index, hence one build rate.",
        "",
    ]
    return _search_quality_lines(graded) + lines


def write_report(
    seg: dict[str, Any],
    par: dict[str, Any],
    blocks: list[dict[str, float]],
    scores: dict[str, Any],
    graded: list[dict[str, Any]],
    search: dict[str, Any],
    similar: list[str],
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python "
        f"{platform.python_version()}, {os.cpu_count()} cores. One run on this machine; rerun to compare.",
        "",
        *throughput_lines(seg),
        *parallel_lines(par),
        "## Ingesting 1,000 documents",
        "",
        "Each document goes through `document_store`: hash, read, extract, one transaction with "
        "its facts, an audit event and its search entries, into a fresh SQLite database that "
        "holds the reference data.",
        "",
        "| documents stored | seconds for this block of 200 | resident memory (MB) |",
        "| --- | --- | --- |",
    ]
    lines += ingestion_rows(blocks)
    lines += [
        "## Extraction quality",
        "",
        "Matching rules are in `docs/extraction.md`: same document and type, overlapping spans "
        "(or equal text for converted formats), agreeing key fields (quantities compared as "
        "magnitudes).",
        "",
    ]
    lines += _quality_lines(scores)
    lines += first_look_lines()
    lines += _search_lines(graded, search)
    lines += similar
    return "\n".join(lines)


def ingestion_rows(blocks: list[dict[str, float]]) -> list[str]:
    rows = [f"| {b['documents']} | {b['seconds']:.2f} | {b['rss_mb']:.0f} |" for b in blocks]
    return [*rows, "", ingestion_summary(blocks), ""]


def splice_ingestion(report: str, blocks: list[dict[str, float]]) -> str:
    """`report` with its ingestion table replaced by `blocks`, dated."""
    start = report.index("| documents stored |")
    end = report.index("## Extraction quality")
    note = (
        f"Measured again on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`benchmarks/run.py --only "
        f"ingestion`, load average {os.getloadavg()[2]:.1f} on {os.cpu_count()} cores). Each "
        "commit now also scores the document's passages against their full-text candidates "
        "and updates the stored similar records."
    )
    table = [
        "| documents stored | seconds for this block of 200 | resident memory (MB) |",
        "| --- | --- | --- |",
        *ingestion_rows(blocks),
    ]
    return report[:start] + "\n".join([note, "", *table]) + "\n" + report[end:]


def splice_search(
    report: str, graded: list[dict[str, Any]], search: dict[str, Any], load: float
) -> str:
    """`report` with its search sections replaced by new measurements, dated; `load` is the
    load average while they ran."""
    start = report.index("\n## Search") + 1
    end = report.index("## Similar reforms")
    busy = (os.cpu_count() or 1) / 2
    note = (
        f"Search sections measured again on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"(`benchmarks/run.py --only search`, load average {load:.1f} on {os.cpu_count()} cores"
        + (
            "; other processes were running, so latencies are above those of an idle machine"
            if load > busy
            else ""
        )
        + "). The other sections come from the full run above."
    )
    lines = _search_lines(graded, search)
    return report[:start] + "\n".join([lines[0], "", note, *lines[1:]]) + "\n" + report[end:]


def splice_similar(report: str, lines: list[str]) -> str:
    """`report` with its similarity section replaced by `lines`, dated."""
    start = report.index("## Similar reforms")
    end = report.find("\n## ", start + 1)
    note = (
        f"Measured again on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`benchmarks/run.py --only "
        f"similar`, load average {os.getloadavg()[2]:.1f} on {os.cpu_count()} cores)."
    )
    section = "\n".join([lines[0], "", note, *lines[1:]]) + "\n"
    return report[:start] + section + (report[end + 1 :] if end != -1 else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure and write docs/benchmarks.md.")
    parser.add_argument(
        "--only",
        choices=[
            "search",
            "quality",
            "similar",
            "extraction",
            "ingestion",
            "ingest200",
            "routes",
            "longdoc",
            "load",
            "reindex",
        ],
        help="measure only these sections and replace them in the existing report",
    )
    args = parser.parse_args(argv)
    target = ROOT / "docs" / "benchmarks.md"
    # PostgreSQL is measured too (routes) when the caller names one; setup_django replaces it.
    postgres = ["--postgres"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else []
    if args.only == "extraction":
        from benchmarks.extraction import main as extraction_main

        extraction_main([])
        return
    if args.only == "ingest200":  # extraction, storing and the similar refresh apart
        from benchmarks.ingest_bench import main as ingest_main

        ingest_main([])
        return
    if args.only == "routes":
        from benchmarks.routes import main as routes_main

        routes_main(postgres)
        return
    if args.only == "longdoc":
        from benchmarks.long_document import main as longdoc_main

        longdoc_main([])
        return
    if args.only == "load":
        from benchmarks.load import main as load_main

        load_main([])
        return
    if args.only == "reindex":  # `zimao reindex` under 20 writers, SQLite and PostgreSQL
        from benchmarks.reindex_writers import main as reindex_main

        reindex_main([])
        return
    if args.only == "quality":  # the development floor alone (quick; no timing)
        write_floor(quality())
        print(FLOOR.read_text("utf-8"))
        return
    if args.only == "similar":
        from benchmarks.similar_bench import (
            similar_lines,
            similarity_benchmark,
            stored_benchmark,
            stored_lines,
        )

        lines = similar_lines(similarity_benchmark())
        setup_django()
        lines += stored_lines(stored_benchmark())
        report = splice_similar(target.read_text("utf-8"), lines)
        target.write_text(report, encoding="utf-8")
        print(report)
        return
    if args.only == "ingestion":
        setup_django()
        from zimao.reference.loader import load_reference

        load_reference()
        report = splice_ingestion(target.read_text("utf-8"), ingestion(1000))
        target.write_text(report, encoding="utf-8")
        print(report)
        return
    if args.only == "search":
        setup_django()
        graded = search_quality()
        from benchmarks.search_bench import search_benchmark

        search = search_benchmark(100_000)
        load = os.getloadavg()[2]  # the 15-minute average covers the run
        report = splice_search(target.read_text("utf-8"), graded, search, load)
        target.write_text(report, encoding="utf-8")
        print(report)
        return
    texts = documents(1000, sentences_per_doc=40)  # about 2 M characters
    print("segmentation and extraction ...", flush=True)
    seg = segmentation_and_extraction(texts)
    print("workers ...", flush=True)
    par = workers(texts)
    print("quality ...", flush=True)
    scores = quality()
    write_floor(scores)
    setup_django()
    print("search quality on graded queries ...", flush=True)
    graded = search_quality()
    print("ingestion of 1,000 documents ...", flush=True)
    blocks = ingestion(1000)
    from benchmarks.search_bench import search_benchmark
    from benchmarks.similar_bench import (
        similar_lines,
        similarity_benchmark,
        stored_benchmark,
        stored_lines,
    )

    print("search over 100,000 passages ...", flush=True)
    search = search_benchmark(100_000)
    print("similarity and clustering ...", flush=True)
    similar = similar_lines(similarity_benchmark()) + stored_lines(stored_benchmark())
    report = write_report(seg, par, blocks, scores, graded, search, similar)
    from benchmarks.reports_bench import prepare, report_benchmark, report_lines

    print("report generation (PDF and Word) ...", flush=True)
    prepare()
    report += "\n\n" + "\n".join(report_lines(report_benchmark())) + "\n"
    from benchmarks.routes import main as routes_main

    print("page queries and latency at 1×, 10×, 100× ...", flush=True)
    report += "\n" + routes_main([*postgres, "--no-write"])
    from benchmarks.reindex_writers import main as reindex_main

    print("reindex with 20 writers (SQLite and PostgreSQL) ...", flush=True)
    report += "\n" + reindex_main(["--no-write"])
    report = with_load_section(report, target.read_text(encoding="utf-8"))
    from benchmarks.long_document import SECTION as LONGDOC
    from benchmarks.sections import keep_section

    # The long document's page runs on its own database: `--only longdoc` measures it.
    report = keep_section(report, target.read_text(encoding="utf-8"), LONGDOC)
    target.write_text(report, encoding="utf-8")
    print(report)


def with_load_section(report: str, previous: str) -> str:
    """Add the load test (SQLite and PostgreSQL) when ZIMAO_BENCH_LOAD=1; otherwise keep the
    last one measured."""
    from benchmarks.load import SECTION, load_section
    from benchmarks.sections import keep_section, replace_section

    if os.environ.get("ZIMAO_BENCH_LOAD") == "1":
        print("load test of the production server ...", flush=True)
        return replace_section(report, load_section())
    return keep_section(report, previous, SECTION)


if __name__ == "__main__":
    main()
