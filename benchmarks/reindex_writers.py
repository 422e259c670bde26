"""`zimao reindex` while writers edit records through the HTTP API, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/reindex_writers.py                  # both databases, writes its section
    .venv/bin/python benchmarks/reindex_writers.py --scale 10 --databases sqlite --no-write

A fresh database gets the reference data, the test cast and the route benchmark's records at
`scale` (tests/volume.py: BASE × scale innovations and tasks, documents, status changes,
audit events, similar rows), all indexed. The production server (`zimao serve --production`,
WORKERS × THREADS) runs on loopback. `zimao reindex` starts in its own process, and WRITERS
threads, each signed in as the home zone's office and owning one innovation, PATCH
/api/innovations/{id} with a new title and the version they last read, one after another, until
the reindex has finished (and for at least MIN_SECONDS). Each answer is counted by status with
its latency. After an error (5xx, or no answer), the writer reads the record back: if its title
is the one just sent, the write was saved although it answered an error (a phantom write). A
409 (someone else's version) makes the writer read the record again. `make bench` runs this
(benchmarks/run.py), and `benchmarks/run.py --only reindex` runs it alone.
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import THREADS, WORKERS, start_server, wait_until_healthy  # noqa: E402
from benchmarks.sections import (  # noqa: E402
    postgres_cluster,
    postgres_version,
    write_section,
)

SECTION = "## Reindex with writers"
BIN = Path(sys.executable).parent
SCALE = 10  # 10×: 3,000 innovations and tasks; 100× runs far past ten minutes on 2 busy cores
WRITERS = 20
MIN_SECONDS = 20
TIMEOUT = 60  # seconds a writer waits for an answer before counting it as none
DRAIN_SECONDS = 60  # how long the job worker may take to score what the writes left pending
DATABASES = ("sqlite", "postgres")
CSRF = "benchmarkcsrftokenbenchmarkcsrf0"  # 32 characters: an unmasked token, as a cookie

PREPARE = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from tests.factories import HOME, make_cast
from tests.volume import grow
from zimao.reference.loader import load_reference
from zimao.reforms.models import Innovation
call_command("migrate", verbosity=0)
if {fresh}:
    load_reference(force=True)
    make_cast()
    grow({base} * {scale}, 0, documents_every=10)
call_command("collectstatic", interactive=False, verbosity=0)
client = Client()
client.force_login(get_user_model().objects.get(username="zoe"))
mine = Innovation.objects.filter(zone__code=HOME).order_by("id")[:{writers}]
print(json.dumps({{"session": client.cookies["sessionid"].value,
                  "innovations": [i.pk for i in mine]}}))
"""


@dataclass
class Outcome:
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)  # seconds, every answered write
    phantoms: int = 0  # answered 5xx, yet saved
    unanswered_saved: int = 0  # no answer within TIMEOUT, and saved
    errors: list[str] = field(default_factory=list)


def request(
    port: int, method: str, path: str, session: str, body: dict[str, Any] | None = None
) -> tuple[int, dict[str, Any]]:
    """One HTTP request with the writer's session; (0, {}) when no answer came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "Referer": f"http://127.0.0.1:{port}/",
        "Content-Type": "application/json",
    }
    try:
        connection.request(method, path, json.dumps(body) if body else None, headers)
        response = connection.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data) if data else {}
        except ValueError:
            parsed = {}
        return response.status, parsed if isinstance(parsed, dict) else {}
    except OSError:
        return 0, {}
    finally:
        connection.close()


class Stored:
    """Reads an innovation's title and version straight from the database (the truth a
    phantom write is checked against; the API has no single-record GET)."""

    def __init__(self, url: str | None, folder: Path) -> None:
        self.url, self.folder = url, folder
        self.lock = threading.Lock()

    def one(self, sql: str, *params: object) -> tuple[Any, ...]:
        """One row of a query (placeholders written `?`)."""
        with self.lock:
            if self.url:
                import psycopg

                with psycopg.connect(self.url) as pg:
                    found = pg.execute(sql.replace("?", "%s"), params).fetchone()
            else:
                import sqlite3

                with sqlite3.connect(self.folder / "zimao.sqlite3", timeout=60) as lite:
                    found = lite.execute(sql, params).fetchone()
                lite.close()
        if found is None:
            raise LookupError(sql)
        return tuple(found)

    def read(self, pk: int) -> tuple[str, int]:
        row = self.one("SELECT title, version FROM reforms_innovation WHERE id = ?", pk)
        return str(row[0]), int(row[1])

    def pending_after(self, seconds: float) -> int:
        """Entries whose similar records are still to be scored once the job worker had
        `seconds` to catch up (0 when it caught up)."""
        deadline = time.monotonic() + seconds
        while True:
            (left,) = self.one("SELECT count(*) FROM search_similarpending")
            if not left or time.monotonic() > deadline:
                return int(left)
            time.sleep(1)


def writer(
    port: int,
    session: str,
    innovation: int,
    number: int,
    done: threading.Event,
    out: Outcome,
    stored: Stored,
) -> None:
    path = f"/api/innovations/{innovation}"
    version: int | None = stored.read(innovation)[1]
    sent = 0
    while not done.is_set():
        if version is None:
            version = stored.read(innovation)[1]
        sent += 1
        title = f"第{innovation}项跨境改革（写入者{number}第{sent}次）"
        started = time.perf_counter()
        status, answer = request(port, "PATCH", path, session, {"version": version, "title": title})
        elapsed = time.perf_counter() - started
        out.statuses[str(status) if status else "no answer"] += 1
        if status:
            out.latencies.append(elapsed)
        if status == 200:
            version = answer.get("version")
        elif status >= 500 or status == 0:
            time.sleep(0.5)
            saved, version = stored.read(innovation)
            if saved == title and status:
                out.phantoms += 1
            elif saved == title:
                out.unanswered_saved += 1
            if len(out.errors) < 5:
                out.errors.append(f"{status}: {answer}"[:200])
        else:  # 409 (a stale version) or a refusal: read it again
            if status != 409 and len(out.errors) < 5:
                out.errors.append(f"{status}: {answer}"[:200])
            version = None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@contextmanager
def database(kind: str, keep: Path | None) -> Iterator[str | None]:
    if kind == "postgres":
        with postgres_cluster(keep / "cluster" if keep else None) as cluster:
            yield cluster.url
    else:
        with nullcontext():
            yield None


@contextmanager
def instance_folder(kind: str, keep: Path | None) -> Iterator[Path]:
    """The instance folder (ZIMAO_VAR_DIR): a throwaway one, or keep/kind, kept."""
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="zimao-reindex-") as name:
            yield Path(name)
    else:
        (keep / kind).mkdir(parents=True, exist_ok=True)
        yield keep / kind


def run(kind: str, scale: int, base: int, writers: int, keep: Path | None = None) -> dict[str, Any]:
    """One database: prepared (or, kept from an earlier run, only migrated), served, reindexed
    under writers."""
    from benchmarks.routes import BASE

    base = base or BASE
    with instance_folder(kind, keep) as folder, database(kind, folder if keep else None) as url:
        built = folder / "built.json"  # what a kept database holds
        wanted = {"base": base, "scale": scale}
        fresh = not (built.exists() and json.loads(built.read_text()) == wanted)
        if not fresh:
            print(f"{kind}: reusing the database kept in {folder}", flush=True)
        elif keep and built.exists():
            raise SystemExit(f"{folder} holds another database: remove it first")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            ZIMAO_VAR_DIR=str(folder),
            SECRET_KEY=secrets.token_urlsafe(50),
            ZIMAO_LOG_FORMAT="json",
            PYTHONPATH=str(ROOT),
            DJANGO_SETTINGS_MODULE="zimao.settings",
            # A new instance's first month-end reports and alerts would queue ahead of the
            # work measured here: the periodic entries stay off in this run.
            ZIMAO_SCHEDULE_OFF="dbstats,task-deadlines,alerts,progress-reports",
        )
        if url:
            env["DATABASE_URL"] = url
        print(f"{kind}: preparing {base * scale:,} innovations and tasks ...", flush=True)
        # (a kept database is only migrated, and the session of its office user renewed)
        started = time.perf_counter()
        prepared = subprocess.run(
            [
                sys.executable,
                "-c",
                PREPARE.format(base=base, scale=scale, writers=writers, fresh=fresh),
            ],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        setup = json.loads(prepared.stdout.strip().splitlines()[-1])
        prepare_seconds = time.perf_counter() - started
        if keep:
            built.write_text(json.dumps(wanted))
        server, port, log = start_server(env, folder)
        # The job worker, as production runs it beside the server: it scores the similar
        # records that writes leave pending, so that work is measured too.
        worker_log = (folder / "worker.log").open("wb")
        worker = subprocess.Popen(
            [str(BIN / "zimao"), "db_worker", "--no-reload", "--verbosity", "1"],
            env=env,
            cwd=ROOT,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", server)
            out = Outcome()
            stored = Stored(url, folder)
            done = threading.Event()
            threads = [
                threading.Thread(
                    target=writer,
                    args=(port, setup["session"], pk, n, done, out, stored),
                    daemon=True,
                )
                for n, pk in enumerate(setup["innovations"], 1)
            ]
            print(f"{kind}: reindex with {len(threads)} writers ...", flush=True)
            started = time.perf_counter()
            reindex = subprocess.Popen(
                [str(BIN / "zimao"), "reindex"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for thread in threads:
                thread.start()
            output, _ = reindex.communicate()
            reindex_seconds = time.perf_counter() - started
            while time.perf_counter() - started < MIN_SECONDS:
                time.sleep(0.5)
            done.set()
            for thread in threads:
                thread.join(timeout=TIMEOUT + 5)
            seconds = time.perf_counter() - started
            load = os.getloadavg()[0]  # the last minute of the run, before the drain
            pending = stored.pending_after(DRAIN_SECONDS)
        finally:
            server.terminate()
            worker.terminate()
            server.wait(timeout=30)
            worker.wait(timeout=30)
            log.close()
            worker_log.close()
            logged = (folder / "server.log").read_text(encoding="utf-8", errors="replace")
            failures = [line for line in logged.splitlines() if '"level": "ERROR"' in line]
    writes = sum(out.statuses.values())
    errors = sum(n for s, n in out.statuses.items() if s == "no answer" or s.startswith("5"))
    return {
        "database": describe(kind),
        "innovations": base * scale,
        "writers": len(setup["innovations"]),
        "reindex_seconds": reindex_seconds,
        "prepare_seconds": prepare_seconds,
        "reused": not fresh,
        "reindex_status": reindex.returncode,
        "reindex_output": output.decode(errors="replace").strip().splitlines()[-3:],
        "server_errors": len(failures),
        "first_server_errors": [line[:400] for line in failures[:3]],
        "seconds": seconds,
        "writes": writes,
        "statuses": dict(out.statuses),
        "errors": errors,
        "phantoms": out.phantoms,
        "similar_pending": pending,
        "unanswered_saved": out.unanswered_saved,
        "p50": statistics.median(out.latencies) if out.latencies else 0.0,
        "p95": percentile(out.latencies, 0.95),
        "max": max(out.latencies, default=0.0),
        "load": load,
        "first_errors": out.errors,
    }


def describe(kind: str) -> str:
    if kind == "postgres":
        return f"PostgreSQL {postgres_version()} (throwaway cluster on loopback, fsync off)"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (a file under the instance folder, WAL)"


def section(results: list[dict[str, Any]], scale: int) -> str:
    lines = [
        SECTION,
        "",
        f"Written by `benchmarks/reindex_writers.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores shared with other work. "
        f"Scale {scale}× of the route benchmark's records (tests/volume.py). `zimao reindex` "
        f"runs while {WRITERS} writer threads PATCH /api/innovations/{{id}} through the "
        f"production server ({WORKERS} workers × {THREADS} threads), each on its own "
        f"innovation, until the reindex ends (at least {MIN_SECONDS} s). Errors: 5xx answers "
        f"and requests without an answer in {TIMEOUT} s. Phantom: a 5xx answer whose write was "
        "saved (read back from the database); a request without an answer whose write was saved "
        "is counted apart (the client gave up, the server finished). Latency over every "
        "answered write. A job worker (`zimao db_worker`) runs beside the server, as in "
        "production (its periodic entries off), and scores the similar records the writes "
        "leave pending; 'similar "
        f"pending' is what it had not scored {DRAIN_SECONDS} s after the writers stopped.",
        "",
        "| database | records | reindex s | writes | answers | errors (5xx, none) | phantom "
        "| unanswered, saved | p50 s | p95 s | max s | similar pending | load |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
        lines.append(
            f"| {r['database']} | {r['innovations']:,} innovations and tasks"
            f"{' (kept from an earlier run)' if r['reused'] else ''} | "
            f"{r['reindex_seconds']:.0f}{'' if r['reindex_status'] == 0 else ' (failed)'} | "
            f"{r['writes']} | {answers} | {r['errors']} | {r['phantoms']} | "
            f"{r['unanswered_saved']} | {r['p50']:.2f} | "
            f"{r['p95']:.2f} | {r['max']:.2f} | {r['similar_pending']} | {r['load']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=int, default=SCALE)
    parser.add_argument("--base", type=int, default=0, help="records of each kind at 1×")
    parser.add_argument("--writers", type=int, default=WRITERS)
    parser.add_argument("--databases", nargs="+", choices=DATABASES, default=list(DATABASES))
    parser.add_argument("--no-write", action="store_true", help="print, do not write the report")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep each database under this folder and reuse it on the next run with the same "
        "--scale and --base (100x takes long to build); its reindex then finds the index as "
        "the last run left it",
    )
    args = parser.parse_args(argv)
    keep = args.keep.resolve() if args.keep else None
    results = [run(kind, args.scale, args.base, args.writers, keep) for kind in args.databases]
    for result in results:
        print(result["database"], "reindex:", *result["reindex_output"], sep="\n  ")
        if result["first_errors"]:
            print(result["database"], "first errors:", *result["first_errors"], sep="\n  ")
        if result["first_server_errors"]:
            print(f"server log: {result['server_errors']} errors", *result["first_server_errors"])
    text = section(results, args.scale)
    if not args.no_write:
        write_section(text)
    print(text)
    return text


if __name__ == "__main__":
    main()
