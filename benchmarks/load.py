"""Load test of the production server on SQLite and on PostgreSQL: `zimao serve --production`
on loopback, locust headless.

    .venv/bin/python benchmarks/load.py                       # both databases, 1 run each
    .venv/bin/python benchmarks/load.py --runs 3              # 3 runs per database
    .venv/bin/python benchmarks/load.py --databases sqlite --users 10 --seconds 10 --no-write

Each database (a fresh SQLite file; a throwaway PostgreSQL cluster started as
scripts/with-postgres.sh does) gets the same data: the reference data and INNOVATIONS synthetic
published innovations (benchmarks/reforms.py, fixed seed) with their search entries. The server
runs with WORKERS processes × THREADS threads; locust runs USERS visitors
(benchmarks/locustfile.py, FastHttpUser) for SECONDS, on the same machine. The server's resident
memory (gunicorn master and workers; for PostgreSQL also the postmaster and its backends,
reported apart) is sampled every second. `make bench` runs this when ZIMAO_BENCH_LOAD=1, and
`benchmarks/run.py --only load` runs it alone.
"""

import argparse
import csv
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sections import (  # noqa: E402
    REPORT,
    Cluster,
    free_port,
    postgres_cluster,
    postgres_version,
)
from benchmarks.sections import replace_section as _replace  # noqa: E402

BIN = Path(sys.executable).parent
USERS, SPAWN_RATE, SECONDS = 50, 10, 60
WORKERS, THREADS = 2, 4
INNOVATIONS = 5000
RUNS = 1
DATABASES = ("sqlite", "postgres")
SECTION = "## Load test"


@dataclass(frozen=True)
class Load:
    """One locust run's shape."""

    users: int = USERS
    spawn_rate: int = SPAWN_RATE
    seconds: int = SECONDS
    innovations: int = INNOVATIONS


PREPARE = """
import random, django
django.setup()
from django.core.management import call_command
from benchmarks.reforms import innovations
from zimao.reference.loader import load_reference
from zimao.reforms.models import Effect, Innovation
from zimao.vocab.models import Domain
from zimao.search.services import reindex
from zimao.zones.models import Zone
call_command("migrate", verbosity=0)
load_reference(force=True)
zones = {z.code: z for z in Zone.objects.all()}
domains = list(Domain.objects.all())
rng = random.Random(3)
made = Innovation.objects.bulk_create(
    Innovation(title=r.text.split(" ", 1)[0][:300], mechanism=r.text, zone=zones.get(r.zone),
               domain=rng.choice(domains), published=True, state="achieved")
    for r in innovations({count})
)
Effect.objects.bulk_create(
    Effect(innovation=i, measure="办理时间", before=10, after=rng.randint(1, 9), unit="天")
    for i in made
)
call_command("collectstatic", interactive=False, verbosity=0)
print(reindex())
"""


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if stat.parent.name == str(pid) or int(fields[1]) == pid:
                pages = int((stat.parent / "statm").read_text().split()[1])
                total += pages * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024 / 1024


def wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited; see its log")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not become healthy in 60 s")


@contextmanager
def database(kind: str, folder: Path) -> Iterator[tuple[str | None, Cluster | None]]:
    """DATABASE_URL for the server (None: the SQLite file under ZIMAO_VAR_DIR) and the
    PostgreSQL cluster, if any."""
    if kind == "postgres":
        with postgres_cluster() as cluster:
            yield cluster.url, cluster
    else:
        with nullcontext():
            yield None, None


def describe(kind: str) -> str:
    if kind == "postgres":
        return (
            f"PostgreSQL {postgres_version()}, a throwaway cluster on loopback (fsync off, "
            "as scripts/with-postgres.sh; default settings otherwise)"
        )
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}, a file under the instance folder (WAL)"


def run(kind: str, folder: Path, load: Load, page_cache: bool = True) -> dict[str, Any]:
    """One run: a fresh database of `kind`, prepared, served and loaded."""
    with database(kind, folder) as (url, cluster):
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            ZIMAO_VAR_DIR=str(folder),
            SECRET_KEY=secrets.token_urlsafe(50),
            ZIMAO_LOG_FORMAT="json",
            PYTHONPATH=str(ROOT),
            DJANGO_SETTINGS_MODULE="zimao.settings",
            ZIMAO_PAGE_CACHE="true" if page_cache else "false",
        )
        if url:
            env["DATABASE_URL"] = url
        print(f"preparing {kind} with {load.innovations:,} innovations ...", flush=True)
        subprocess.run(
            [sys.executable, "-c", PREPARE.replace("{count}", str(load.innovations))],
            env=env,
            check=True,
            cwd=ROOT,
        )
        return serve_and_load(env, folder, load, cluster)


def start_server(
    env: dict[str, str], folder: Path
) -> tuple[subprocess.Popen[bytes], int, IO[bytes]]:
    """The production server (WORKERS × THREADS) on a free loopback port, logging to
    folder/server.log: the process, its port and the open log (close it after the server)."""
    port = free_port()
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [
            str(BIN / "zimao"),
            "serve",
            "--production",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return server, port, log


def serve_and_load(
    env: dict[str, str], folder: Path, load: Load, cluster: Cluster | None
) -> dict[str, Any]:
    server, port, log = start_server(env, folder)
    url = f"http://127.0.0.1:{port}"
    postmaster = cluster.postmaster_pid() if cluster else None
    try:
        wait_until_healthy(url, server)
        idle_rss = tree_rss_mb(server.pid)
        db_idle = tree_rss_mb(postmaster) if postmaster else 0.0
        print(f"locust: {load.users} users for {load.seconds} s against {url} ...", flush=True)
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                str(load.users),
                "-r",
                str(load.spawn_rate),
                "-t",
                f"{load.seconds}s",
                "--host",
                url,
                "--csv",
                str(folder / "locust"),
                "--only-summary",
                "--stop-timeout",
                "5",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        samples, db_samples = [], []
        load_before = os.getloadavg()[0]
        while locust.poll() is None:
            samples.append(tree_rss_mb(server.pid))
            if postmaster:
                db_samples.append(tree_rss_mb(postmaster))
            time.sleep(1)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    stats = list(csv.DictReader((folder / "locust_stats.csv").open(encoding="utf-8")))
    return {
        "rows": stats,
        "idle_rss": idle_rss,
        "peak_rss": max(samples),
        "mean_rss": sum(samples) / len(samples),
        "db_rss": (db_idle, max(db_samples)) if db_samples else None,
        "server_errors": server_errors(folder / "server.log"),
        "load": (load_before, load_after),
    }


def server_errors(log: Path) -> int:
    return len(re.findall(r'"level": "ERROR"', log.read_text(encoding="utf-8", errors="replace")))


def _total(result: dict[str, Any]) -> dict[str, str]:
    return next(r for r in result["rows"] if r["Name"] == "Aggregated")


def database_lines(
    kind: str, results: list[dict[str, Any]], load: Load, page_cache: bool = True
) -> list[str]:
    """The runs on one database: one row each (and their median when there are several), the
    memory and errors of each, and the pages of the last run."""
    cache = (
        "anonymous page cache on (the default)"
        if page_cache
        else "anonymous page cache off (ZIMAO_PAGE_CACHE=false): every request rendered"
    )
    lines = [
        f"### {describe(kind)}; {cache}",
        "",
        f"Setup: `zimao serve --production` ({WORKERS} gunicorn workers × {THREADS} threads, "
        f"JSON request logs on) over this database holding the reference data and "
        f"{load.innovations:,} published innovations; locust with {load.users} users "
        f"(FastHttpUser, spawned {load.spawn_rate}/s, each waiting 0.2–1 s between pages) for "
        f"{load.seconds} s; {len(results)} run(s), each on a freshly prepared database.",
        "",
        "| run | requests | failures | requests/s | p50 ms | p95 ms | p99 ms | max ms | "
        "server RSS idle / mean / peak MB | server errors | load avg before → after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for n, result in enumerate(results, start=1):
        t = _total(result)
        lines.append(
            f"| {n} | {int(t['Request Count']):,} | {int(t['Failure Count']):,} | "
            f"{float(t['Requests/s']):.1f} | {t['50%']} | {t['95%']} | {t['99%']} | "
            f"{float(t['Max Response Time']):.0f} | {result['idle_rss']:.0f} / "
            f"{result['mean_rss']:.0f} / {result['peak_rss']:.0f} | {result['server_errors']} | "
            f"{result['load'][0]:.1f} → {result['load'][1]:.1f} |"
        )
    if len(results) > 1:
        totals = [_total(r) for r in results]

        def median(key: str) -> float:
            return statistics.median(float(t[key]) for t in totals)

        lines.append(
            f"| median | {median('Request Count'):,.0f} | {median('Failure Count'):,.0f} | "
            f"{median('Requests/s'):.1f} | {median('50%'):.0f} | {median('95%'):.0f} | "
            f"{median('99%'):.0f} | {median('Max Response Time'):.0f} | "
            f"{statistics.median(r['peak_rss'] for r in results):.0f} peak | | |"
        )
    db = [r["db_rss"] for r in results if r["db_rss"]]
    if db:
        lines += [
            "",
            "PostgreSQL's own processes (postmaster and backends), not counted above: "
            + "; ".join(f"{idle:.0f} MB idle, {peak:.0f} MB at peak" for idle, peak in db)
            + ".",
        ]
    last = results[-1]
    lines += [
        "",
        f"Pages, run {len(results)}:",
        "",
        "| page | requests | failures | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| `{r['Name']}` | {int(r['Request Count']):,} | {int(r['Failure Count'])} | "
        f"{r['50%']} | {r['95%']} | {r['99%']} |"
        for r in last["rows"]
        if r["Name"] != "Aggregated"
    ]
    return [*lines, ""]


def report(by_database: dict[tuple[str, bool], list[dict[str, Any]]], load: Load) -> str:
    lines = [
        SECTION,
        "",
        f"Written by `benchmarks/load.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python "
        f"{platform.python_version()}, {os.cpu_count()} cores. The server and locust run on the "
        "same machine over loopback, so the load generator takes CPU from the server: these "
        "are floor figures for this machine. Locust uses FastHttpUser (geventhttpclient), "
        "which needs several times less CPU per request than the requests-based HttpUser, to "
        "leave more of the cores to the server. The databases are measured one after the "
        "other, not at the same time; the load average columns show what else was running. "
        "Server RSS: gunicorn master and workers, the resident memory of each process added up "
        "(pages shared after the fork, and PostgreSQL's shared buffers, count once per process "
        "that touched them, so these sums are upper bounds).",
        "",
        "Every visitor here is anonymous, as on the public site, so the anonymous page cache "
        "(docs/architecture.md, Operations) answers repeated pages from files; an innovation "
        "is picked from 500 at random, so its page is often rendered. Each database is also "
        "run with the cache off, to show what rendering every page costs.",
        "",
    ]
    for (kind, page_cache), results in by_database.items():
        lines += database_lines(kind, results, load, page_cache)
    return "\n".join(lines)


def replace_section(document: str, section: str) -> str:
    """Put SECTION in place of the document's load-test section, or at its end."""
    return _replace(document, section)


def load_section(
    databases: tuple[str, ...] = DATABASES,
    runs: int = RUNS,
    load: Load | None = None,
    page_cache: tuple[bool, ...] = (True, False),
) -> str:
    load = load or Load()
    by_database: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for kind in databases:
        for cached in page_cache:
            for _ in range(runs):
                with tempfile.TemporaryDirectory(prefix="zimao-load-") as folder:
                    result = run(kind, Path(folder), load, cached)
                    by_database.setdefault((kind, cached), []).append(result)
    return report(by_database, load)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--databases", nargs="+", choices=DATABASES, default=list(DATABASES))
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per database")
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--spawn-rate", type=int, default=SPAWN_RATE)
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--innovations", type=int, default=INNOVATIONS)
    parser.add_argument(
        "--page-cache", choices=["both", "on", "off"], default="both", help="server setting"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write the report")
    args = parser.parse_args(argv)
    load = Load(args.users, args.spawn_rate, args.seconds, args.innovations)
    cache = {"both": (True, False), "on": (True,), "off": (False,)}[args.page_cache]
    section = load_section(tuple(args.databases), args.runs, load, cache)
    if not args.no_write:
        REPORT.write_text(
            replace_section(REPORT.read_text(encoding="utf-8"), section), encoding="utf-8"
        )
    print(section)
    return section


if __name__ == "__main__":
    main()
