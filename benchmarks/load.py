"""Load test of the production server: `zimao serve --production` on loopback, locust headless.

    .venv/bin/python benchmarks/load.py        # updates the "Load test" section of docs/benchmarks.md

A fresh SQLite instance gets the reference data and INNOVATIONS synthetic published
innovations (benchmarks/reforms.py) with their search entries. The server runs with WORKERS
processes × THREADS threads; locust runs USERS visitors (benchmarks/locustfile.py) for SECONDS,
on the same machine. The server's resident memory (master and workers) is sampled every second.
`make bench` runs this when ZIMAO_BENCH_LOAD=1.
"""

import csv
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS, SPAWN_RATE, SECONDS = 50, 10, 60
WORKERS, THREADS = 2, 4
INNOVATIONS = 5000
SECTION = "## Load test"

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def run(folder: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ZIMAO_VAR_DIR=str(folder),
        SECRET_KEY=secrets.token_urlsafe(50),
        ZIMAO_LOG_FORMAT="json",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="zimao.settings",
    )
    print(f"preparing a SQLite instance with {INNOVATIONS:,} innovations ...", flush=True)
    subprocess.run(
        [sys.executable, "-c", PREPARE.replace("{count}", str(INNOVATIONS))],
        env=env,
        check=True,
        cwd=ROOT,
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
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
    try:
        wait_until_healthy(url, server)
        idle_rss = tree_rss_mb(server.pid)
        print(f"locust: {USERS} users for {SECONDS} s against {url} ...", flush=True)
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                str(SPAWN_RATE),
                "-t",
                f"{SECONDS}s",
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
        samples = []
        load_before = os.getloadavg()[0]
        while locust.poll() is None:
            samples.append(tree_rss_mb(server.pid))
            time.sleep(1)
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    stats = list(csv.DictReader((folder / "locust_stats.csv").open(encoding="utf-8")))
    errors = server_errors(folder / "server.log")
    return {
        "rows": stats,
        "idle_rss": idle_rss,
        "peak_rss": max(samples),
        "mean_rss": sum(samples) / len(samples),
        "server_errors": errors,
        "load": (load_before, load_after),
    }


def server_errors(log: Path) -> int:
    return len(re.findall(r'"level": "ERROR"', log.read_text(encoding="utf-8", errors="replace")))


def report(result: dict[str, Any]) -> str:
    rows = result["rows"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    lines = [
        SECTION,
        "",
        f"Written by `benchmarks/load.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; Python "
        f"{platform.python_version()}, {os.cpu_count()} cores. `zimao serve --production` "
        f"({WORKERS} gunicorn workers × {THREADS} threads, JSON request logs on) over SQLite "
        f"holding the reference data and {INNOVATIONS:,} published innovations; locust "
        f"(`benchmarks/locustfile.py`) with {USERS} users, each waiting 0.2–1 s between pages, "
        f"for {SECONDS} s, on the same machine over loopback. The load generator shares the two "
        "cores with the server, so these are floor figures for this machine.",
        "",
        "| requests | failures | requests/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {int(total['Request Count']):,} | {int(total['Failure Count']):,} | "
        f"{float(total['Requests/s']):.1f} | {total['50%']} | {total['95%']} | {total['99%']} | "
        f"{float(total['Max Response Time']):.0f} |",
        "",
        f"Server resident memory (master and workers): {result['idle_rss']:.0f} MB idle, "
        f"{result['mean_rss']:.0f} MB on average under load, {result['peak_rss']:.0f} MB at peak. "
        f"Errors logged by the server: {result['server_errors']}. Machine load average "
        f"(1 min) {result['load'][0]:.1f} before the run and {result['load'][1]:.1f} at its end: "
        "the server and locust account for about 3 of it; the rest is other work on the machine competing for the same two cores.",
        "",
        "| page | requests | failures | p50 ms | p95 ms | p99 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{r['Name']}` | {int(r['Request Count']):,} | {int(r['Failure Count'])} | {r['50%']} | "
        f"{r['95%']} | {r['99%']} |"
        for r in rows
        if r["Name"] != "Aggregated"
    ]
    return "\n".join([*lines, ""])


def replace_section(document: str, section: str) -> str:
    """Put SECTION in place of the document's load-test section, or at its end."""
    start = document.find(SECTION)
    if start == -1:
        return document.rstrip("\n") + "\n\n" + section
    end = document.find("\n## ", start + len(SECTION))
    rest = document[end + 1 :] if end != -1 else ""
    return document[:start] + section + ("\n" + rest if rest else "")


def load_section() -> str:
    with tempfile.TemporaryDirectory(prefix="zimao-load-") as folder:
        return report(run(Path(folder)))


def main() -> None:
    section = load_section()
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text(
        replace_section(target.read_text(encoding="utf-8"), section), encoding="utf-8"
    )
    print(section)


if __name__ == "__main__":
    main()
