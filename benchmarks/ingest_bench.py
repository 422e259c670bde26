"""Ingestion of N generated documents into a fresh SQLite database holding the reference data:
extraction alone (`analyse_bytes`), storing (`document_store`: one transaction per document with
its facts, audit event and search entries) and the similar-record refresh of the new passages
(the background job, run here in batch mode as the worker would), each timed apart.

    PYTHONPATH=. nice .venv/bin/python benchmarks/ingest_bench.py --documents 200 --no-write
"""

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTION = "## Ingesting 200 documents: extraction, storing, similar records"


def measure(count: int, sentences: int = 300) -> dict[str, Any]:
    """Seconds for each phase of ingesting `count` documents, and what they left."""
    from benchmarks.genre import documents
    from benchmarks.run import setup_django

    setup_django()
    from zimao.reference.loader import load_reference

    load_reference()
    from zimao.accounts.access import SystemActor
    from zimao.documents.analysis import analyse_bytes
    from zimao.documents.services import document_store
    from zimao.search import neighbours
    from zimao.search.models import SearchEntry, SimilarEntry

    neighbours.rebuild()  # weights fitted on the reference data, as after `zimao reindex`
    operator = SystemActor("bench")
    texts = [t.encode() for t in documents(count, sentences_per_doc=sentences, seed=99)]
    started = time.perf_counter()
    analyses = [analyse_bytes(f"doc-{i}.txt", data) for i, data in enumerate(texts, 1)]
    extraction = time.perf_counter() - started
    started = time.perf_counter()
    batch = getattr(neighbours, "batched", None)
    if batch is not None:  # `zimao ingest`: stored here, similar records by the worker
        with batch(now=False):
            for analysis, data in zip(analyses, texts, strict=True):
                document_store(analysis=analysis, data=data, user=operator)
        storing = time.perf_counter() - started
        started = time.perf_counter()
        neighbours.refresh_pending()  # what the worker runs
        similar = time.perf_counter() - started
    else:  # before: each commit refreshed its passages' similar records
        for analysis, data in zip(analyses, texts, strict=True):
            document_store(analysis=analysis, data=data, user=operator)
        storing, similar = time.perf_counter() - started, 0.0
    passages = SearchEntry.objects.filter(kind="passage").count()
    return {
        "documents": count,
        "characters": sum(len(t) for t in texts),
        "sentences": sentences,
        "extraction": extraction,
        "storing": storing,
        "similar": similar,
        "ingest": extraction + storing,
        "passages": passages,
        "similar_rows": SimilarEntry.objects.count(),
        "load": os.getloadavg()[2],
    }


def row(label: str, r: dict[str, Any]) -> str:
    ratio = r["ingest"] / r["extraction"] if r["extraction"] else 0.0
    return (
        f"| {label} | {r['documents']} × {r.get('sentences', 30)} | {r['characters']:,} | "
        f"{r['extraction']:.1f} | {r['storing']:.1f} | {r['ingest']:.1f} | {ratio:.1f}× | "
        f"{r['similar']:.1f} | {r['passages']:,} | {r['similar_rows']:,} | {r['load']:.1f} |"
    )


def lines(pairs: list[tuple[dict[str, Any] | None, dict[str, Any]]]) -> list[str]:
    """The section: for each (before, after) pair of runs, a row each."""
    out = [
        SECTION,
        "",
        f"Written on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/ingest_bench.py` "
        f"(`--documents N --sentences S`: N generated documents of S sentences each), into a "
        "fresh SQLite database with the reference data and fitted similarity weights, on "
        f"{os.cpu_count()} cores shared with other work: the load average of each run is in the "
        "last column, and extraction times show how busy the machine was. Extraction is "
        "`analyse_bytes` alone; storing is `document_store` per document (before: with the "
        "similar records of its passages refreshed on each commit); similar records is the "
        "batched refresh of the new passages' stored neighbours that the background worker runs "
        "after `zimao ingest`. Seconds.",
        "",
        "| code | documents × sentences | characters | extraction | storing | `zimao ingest` "
        "(extraction + storing) | × extraction | similar records (background job) | passages | "
        "similar rows | load |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for before, after in pairs:
        if before is not None:
            out.append(row("before (refresh per commit)", before))
        out.append(row("now" if before is None else "after (batched job)", after))
    return [*out, ""]


def with_earlier_rows(text: str, report: str) -> str:
    """The new section with the rows of the runs already reported kept above the new ones (a
    run compares itself with them), each earlier "now" row named by its date."""
    from benchmarks.sections import section_span

    span = section_span(report, SECTION)
    if span is None:
        return text
    old = report[span[0] : span[1]]
    stamp = old.split("Written on ", 1)[-1][:16] if "Written on " in old else "earlier"
    rows = [
        line.replace("| now |", f"| {stamp} |", 1)
        for line in old.splitlines()
        if line.startswith("| ") and not line.startswith(("| code ", "| --- "))
    ]
    lines_ = text.splitlines()
    at = next(i for i, line in enumerate(lines_) if line.startswith("| --- "))
    return "\n".join([*lines_[: at + 1], *rows, *lines_[at + 1 :]]) + "\n"


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=300, help="sentences per document")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the report")
    parser.add_argument("--save", type=Path, help="also keep the figures in this JSON file")
    parser.add_argument(
        "--before", type=Path, nargs="*", default=[], help="figures saved by earlier runs"
    )
    parser.add_argument(
        "--figures",
        type=Path,
        nargs="*",
        default=[],
        help="report saved figures (one per --before, in order), measure nothing",
    )
    args = parser.parse_args(argv)
    load = lambda path: json.loads(path.read_text("utf-8"))  # noqa: E731
    if args.figures:
        results = [load(path) for path in args.figures]
    else:
        results = [measure(args.documents, args.sentences)]
        print(results[0], flush=True)
        if args.save:
            args.save.write_text(json.dumps(results[0]), encoding="utf-8")
    befores: list[dict[str, Any] | None] = [load(path) for path in args.before]
    befores += [None] * (len(results) - len(befores))
    text = "\n".join(lines(list(zip(befores, results, strict=False))))
    if not args.no_write:
        from benchmarks.sections import replace_section

        target = ROOT / "docs" / "benchmarks.md"
        report = target.read_text("utf-8")
        text = with_earlier_rows(text, report)
        target.write_text(replace_section(report, text), encoding="utf-8")
    print(text)
    return text


if __name__ == "__main__":
    main()
