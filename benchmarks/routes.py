"""Queries and latency of every page and API route at 1×, 10× and 100× the records.

    .venv/bin/python benchmarks/routes.py                 # SQLite; writes its section
    .venv/bin/python benchmarks/routes.py --postgres      # also a throwaway PostgreSQL cluster
    .venv/bin/python benchmarks/routes.py --scales 1 10 --repeats 3 --no-write   # quick look
    .venv/bin/python benchmarks/routes.py --scales 1 10 --match alignment --no-write  # some routes

The routes, their sample records and the query budget are those of tests/test_query_budget.py;
the records are made by tests/volume.py (the same shapes as the test's, in bulk). A fresh
database gets the reference data, the test cast and BASE × scale innovations (each with an
effect) and pilot tasks, one processed document with two pending facts per DOCUMENTS_EVERY
innovations, and adoptions; all are in the search index. Every route is requested in-process
with Django's test client as the national office (who sees most, as in the test): one warm-up
request counts the queries, then `repeats` timed requests give the median and the range.
`benchmarks/run.py --only routes` runs this too.
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

from benchmarks.sections import postgres_cluster, postgres_version, write_section  # noqa: E402

SECTION = "## Page queries and latency by data volume"
SCALES = (1, 10, 100)
BASE = 300  # innovations and pilot tasks at 1×: 100× is 30,000 of each
DOCUMENTS_EVERY = 10  # one document per ten innovations: 3,000 documents at 100×
REPEATS = 5
SLOW_MS = 5000  # a route whose warm-up takes longer is timed once, to keep the run short


def setup_django(database_url: str | None, folder: str) -> str:
    """A fresh database (a SQLite file in `folder` unless `database_url`), migrated, with the
    reference data; returns a description of it."""
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder}/routes.sqlite3"
    os.environ["ZIMAO_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zimao.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from zimao.reference.loader import load_reference

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    call_command("migrate", verbosity=0)
    load_reference(force=True)
    if connection.vendor == "postgresql":
        return f"PostgreSQL {postgres_version()} (throwaway cluster on loopback, fsync off)"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (a temporary file, WAL)"


def measure(client: Any, url: str, query: dict[str, str], repeats: int) -> dict[str, Any]:
    """Queries of one request (the warm-up), then the times of `repeats` more, in ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    warm = (time.perf_counter() - started) * 1000
    count = len(queries)  # now: the next request clears the connection's query log
    times = []
    for _ in range(repeats if warm < SLOW_MS else 1):
        started = time.perf_counter()
        client.get(url, query)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": count,
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "repeats": len(times),
    }


def run(scales: tuple[int, ...], repeats: int, base: int, match: str = "") -> dict[str, Any]:
    from django.test import Client

    from tests.factories import make_cast
    from tests.test_query_budget import BUDGET, QUERY, SLACK, targets
    from tests.volume import grow

    cast = make_cast()
    client = Client()
    client.force_login(cast.nina)
    by_scale: dict[int, dict[str, dict[str, Any]]] = {}
    found: list[tuple[str, str]] = []
    total = 0
    for scale in scales:
        started = time.perf_counter()
        grow(base * scale - total, total, documents_every=DOCUMENTS_EVERY)
        total = base * scale
        if not found:
            found = [(name, url) for name, url in targets() if match in name]
        print(
            f"{scale}×: {total:,} innovations and tasks made in "
            f"{time.perf_counter() - started:.1f} s; measuring {len(found)} routes ...",
            flush=True,
        )
        started = time.perf_counter()
        by_scale[scale] = {}
        for name, url in found:
            by_scale[scale][name] = m = measure(client, url, QUERY, repeats)
            if m["median"] > 1000:
                print(f"   slow: {name} {m['median']:.0f} ms", flush=True)
        print(f"   measured in {time.perf_counter() - started:.1f} s", flush=True)
    return {
        "routes": found,
        "scales": by_scale,
        "base": base,
        "repeats": repeats,
        "budget": BUDGET,
        "slack": SLACK,
        "query": QUERY,
    }


def table(result: dict[str, Any], database: str) -> list[str]:
    budget, slack = result["budget"], result["slack"]
    scales = sorted(result["scales"])
    first = result["scales"][scales[0]]
    flagged = []
    lines = [
        f"### {database}",
        "",
        "| route | "
        + " | ".join(f"{s}× queries | {s}× median ms (min–max)" for s in scales)
        + " | flag |",
        "| --- | " + " | ".join("---: | ---:" for _ in scales) + " | --- |",
    ]
    for name, _url in result["routes"]:
        cells = []
        flags = []
        for s in scales:
            m = result["scales"][s][name]
            cells.append(
                f"{m['queries']} | {m['median']:.1f} ({m['min']:.1f}–{m['max']:.1f})"
                + ("" if m["status"] < 400 else f" [{m['status']}]")
            )
            if m["queries"] > budget:
                flags.append(f"over {budget} at {s}×")
            if m["queries"] > first[name]["queries"] + slack:
                flags.append(f"grows ({first[name]['queries']}→{m['queries']})")
            base_ms = first[name]["median"]
            if s == scales[-1] and m["median"] > 100 and m["median"] > 3 * base_ms:
                flags.append(f"latency ×{m['median'] / base_ms:.0f} from {scales[0]}×")
            if m["repeats"] < result["repeats"]:
                flags.append(f"slow at {s}×: timed {m['repeats']}×")
            if m["status"] >= 500:
                flags.append(f"error {m['status']} at {s}×")
        if flags:
            flagged.append(name)
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {'; '.join(flags)} |")
    slowest = max(result["routes"], key=lambda r: result["scales"][scales[-1]][r[0]]["median"])
    top = result["scales"][scales[-1]][slowest[0]]
    lines += [
        "",
        (f"Flagged: {', '.join(f'`{n}`' for n in flagged)}." if flagged else "No route is flagged.")
        + (
            f" No route is over the budget of {budget} queries or grows by more than {slack} "
            f"queries from {scales[0]}× to {scales[-1]}×."
            if not any(
                result["scales"][s][n]["queries"] > budget
                or result["scales"][s][n]["queries"] > first[n]["queries"] + slack
                for s in scales
                for n, _ in result["routes"]
            )
            else ""
        )
        + f" Slowest at {scales[-1]}×: `{slowest[0]}`, median {top['median']:.0f} ms.",
        "",
    ]
    return lines


def section(results: list[tuple[str, dict[str, Any]]]) -> str:
    first = results[0][1]
    base, repeats = first["base"], first["repeats"]
    budget, slack = first["budget"], first["slack"]
    sizes = ", ".join(
        f"{s}×: {base * s:,} innovations, {base * s:,} tasks, {base * s // DOCUMENTS_EVERY:,} "
        "documents"
        for s in sorted(first["scales"])
    )
    query = "&".join(f"{k}={v}" for k, v in first["query"].items())
    lines = [
        SECTION,
        "",
        f"Written by `benchmarks/routes.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python "
        f"{platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end. Every GET route that `tests/test_query_budget.py` "
        f"checks, requested in-process with Django's test client as the national office, with "
        f"`?{query}` (the test's parameters). A fresh database holds the reference data and "
        f"synthetic records from `tests/volume.py` ({sizes}; each innovation has an effect, an "
        "audit event and 18 stored similar rows, each task an audit event and 1–2 status "
        "changes, each document two pending facts; all in the search index; table statistics "
        "refreshed after the load, as every bulk load does). The records share most of their "
        "wording, as the test's do, so search, similar-record and differentiation candidates "
        "are as many as they can be: a pessimistic case for those routes. Queries: the warm-up "
        "request, "
        f"counted with `CaptureQueriesContext`; latency: {repeats} requests after it, median and "
        f"range, in ms (a route whose warm-up takes over {SLOW_MS / 1000:.0f} s is timed once). "
        f"Flags: over the budget of {budget} queries, or more than {slack} "
        "queries above the 1× count; latency more than 3 times its 1× median (and over "
        "100 ms) at the largest scale. A status in brackets is the route's answer to these "
        "parameters (e.g. 404 for a sample it cannot find), not an error of the benchmark.",
        "",
    ]
    for database, result in results:
        lines += table(result, database)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--base", type=int, default=BASE, help="records of each kind at 1×")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="measure on a throwaway PostgreSQL cluster too (or on $DATABASE_URL if set)",
    )
    parser.add_argument("--match", default="", help="only the routes whose name contains this")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the report")
    args = parser.parse_args(argv)
    scales = tuple(sorted(args.scales))
    results = [measure_on(None, scales, args.repeats, args.base, args.match)]
    if args.postgres:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            results.append(measure_on(url, scales, args.repeats, args.base, args.match))
        else:
            with postgres_cluster() as cluster:
                results.append(measure_on(cluster.url, scales, args.repeats, args.base, args.match))
    text = section(results)
    if not args.no_write:
        write_section(text)
    print(text)
    return text


def measure_on(
    database_url: str | None, scales: tuple[int, ...], repeats: int, base: int, match: str = ""
) -> tuple[str, dict[str, Any]]:
    """One database's measurements, in a child process: Django is set up once per process."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_measure, (database_url, scales, repeats, base, match))


def _measure(
    database_url: str | None, scales: tuple[int, ...], repeats: int, base: int, match: str = ""
) -> tuple[str, dict[str, Any]]:
    import logging

    with tempfile.TemporaryDirectory(prefix="zimao-routes-") as folder:
        database = setup_django(database_url, folder)
        logging.getLogger("zimao.request").setLevel(logging.WARNING)  # one line per request
        print(f"{database}:", flush=True)
        return database, run(scales, repeats, base, match)


if __name__ == "__main__":
    main()
