"""The review page of a long document: one report of 1,278 facts (about 210 KB of text, made by
tests/documents/long.py), opened as its zone office would, paged and filtered.

    .venv/bin/python benchmarks/long_document.py             # writes its section
    .venv/bin/python benchmarks/long_document.py --no-write  # prints it only

A fresh SQLite database (a temporary file) gets the reference data and the test cast; the
document is stored through `document_store` as the Guangdong zone office, like an upload.
Each page is requested in-process with Django's test client: one warm-up request counts the
queries, then `repeats` timed requests give the median and the range, in ms.
`benchmarks/run.py --only longdoc` runs this too.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sections import write_section  # noqa: E402

SECTION = "## A long document's review page"
FACTS = 1278
REPEATS = 5
PAGES = [  # (what the office does, the query string)
    ("first page (all facts)", ""),
    ("page 10", "page=10"),
    ("quantities only", "type=quantity"),
    ("pending quantities, page 3", "type=quantity&state=pending&page=3"),
    ("text filter", "q=%E7%89%87%E5%8C%BA"),
    ("bulk accept: confirm page", "action=accept&type=zone"),
]


def setup(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/longdoc.sqlite3"
    os.environ["ZIMAO_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zimao.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from zimao.reference.loader import load_reference

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    load_reference(force=True)


def measure(client: Any, url: str, repeats: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": count,
        "bytes": len(response.content),
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
    }


def run(repeats: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from tests.documents.long import long_report
    from tests.factories import make_cast
    from zimao.documents.analysis import analyse_bytes
    from zimao.documents.services import document_store

    cast = make_cast()
    text, facts = long_report(FACTS)
    data = text.encode()
    started = time.perf_counter()
    document = document_store(
        analysis=analyse_bytes("长篇报告.txt", data), data=data, user=cast.zoe
    ).document
    stored = time.perf_counter() - started
    client = Client()
    client.force_login(cast.zoe)
    detail = reverse("documents:detail", args=[document.pk])
    confirm = reverse("documents:bulk_confirm", args=[document.pk])
    rows = []
    for label, query in PAGES:
        url = (confirm if label.startswith("bulk") else detail) + (f"?{query}" if query else "")
        rows.append((label, query, measure(client, url, repeats)))
    return {
        "facts": facts,
        "bytes": len(data),
        "stored": stored,
        "rows": rows,
        "bulk": bulk_accept_all(client, confirm),
    }


def bulk_accept_all(client: Any, confirm: str) -> dict[str, Any]:
    """Accept every fact of the document by the filter "all", once (it changes the data):
    the confirm page, the POST that queues the job, and the job (run here, as the worker
    would), which reviews and audits each fact."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zimao.audit.models import AuditEvent
    from zimao.jobs.models import Job
    from zimao.jobs.services import job_run

    page = client.get(confirm + "?action=accept").content.decode()
    match = re.search(r'name="seen" value="([0-9a-f]{64})"', page)
    seen = match.group(1) if match else ""
    started = time.perf_counter()
    response = client.post(confirm, {"action": "accept", "seen": seen})
    answered = (time.perf_counter() - started) * 1000
    job = Job.objects.get(kind="fact_review")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        state = job_run(job.pk, job.attempt)
    return {
        "status": response.status_code,
        "answered": answered,
        "state": state,
        "ms": (time.perf_counter() - started) * 1000,
        "queries": len(queries),
        "events": AuditEvent.objects.filter(action="fact_accept").count(),
    }


def section(result: dict[str, Any], repeats: int) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        f"Written by `benchmarks/long_document.py` on {when}; Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {load:.1f} at the end. One document of "
        f"{result['facts']:,} facts and {result['bytes'] / 1000:.0f} KB of text "
        f"(stored in {result['stored']:.1f} s), opened by its zone office with Django's test "
        f"client on SQLite; queries of the warm-up request, then the median and range of "
        f"{repeats} requests in ms. The page shows 50 facts at a time; the text beside them is "
        "the whole document, with the shown facts marked.",
        "",
        "| page | query string | status | queries | HTML KB | median ms (min–max) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for label, query, m in result["rows"]:
        lines.append(
            f"| {label} | `{query or '—'}` | {m['status']} | {m['queries']} | "
            f"{m['bytes'] / 1000:.0f} | {m['median']:.0f} ({m['min']:.0f}–{m['max']:.0f}) |"
        )
    bulk = result["bulk"]
    lines += [
        "",
        f"Accepting all {result['facts']:,} facts at once: the confirm page's POST answered "
        f"{bulk['status']} in {bulk['answered']:.0f} ms (it queues a job); the job (run "
        f"in-process, as the worker does) ended {bulk['state']} in {bulk['ms'] / 1000:.1f} s "
        f"with {bulk['queries']:,} queries, each fact reviewed through the write helper at the "
        f"version counted: {bulk['events']:,} audit events.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        result = run(args.repeats)
    text = section(result, args.repeats)
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
