"""Helpers shared by the benchmark scripts: replacing one `## ` section of docs/benchmarks.md,
and a throwaway PostgreSQL cluster like scripts/with-postgres.sh starts."""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"


def section_span(document: str, heading: str) -> tuple[int, int] | None:
    """Start and end of the section under `heading` (up to the next `## `), if present."""
    start = document.find(heading + "\n")
    if start == -1:
        return None
    end = document.find("\n## ", start + len(heading))
    return start, (end + 1 if end != -1 else len(document))


def replace_section(document: str, section: str) -> str:
    """Put `section` (which starts with its `## ` heading) in place of the section of the same
    heading, or at the end of the document."""
    heading = section.split("\n", 1)[0]
    span = section_span(document, heading)
    body = section.rstrip("\n") + "\n"
    if span is None:
        return document.rstrip("\n") + "\n\n" + body
    start, end = span
    rest = document[end:]
    return document[:start] + body + ("\n" + rest if rest else "")


def keep_section(report: str, previous: str, heading: str) -> str:
    """`report` with the section `heading` of `previous` carried over (a full run that did not
    measure it keeps the last measurement)."""
    span = section_span(previous, heading)
    return replace_section(report, previous[span[0] : span[1]]) if span else report


def write_section(section: str, target: Path = REPORT) -> None:
    text = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n"
    target.write_text(replace_section(text, section), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_bin() -> Path | None:
    """The newest Debian PostgreSQL server binaries (or $PGBIN), if installed."""
    if os.environ.get("PGBIN"):
        return Path(os.environ["PGBIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return found[-1] if found and (found[-1] / "initdb").exists() else None


@dataclass(frozen=True)
class Cluster:
    url: str  # DATABASE_URL
    data: Path

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])


@contextmanager
def postgres_cluster(keep: Path | None = None) -> Iterator[Cluster]:
    """A throwaway cluster on loopback (fsync off, as scripts/with-postgres.sh) with an empty
    database `zimao`; deleted afterwards. With `keep` (a folder), the cluster lives there: made
    the first time, started again with its data the next, and only stopped afterwards."""
    pgbin = postgres_bin()
    if pgbin is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    folder = keep or Path(tempfile.mkdtemp(prefix="zimao-pg-"))
    owner: list[str] = []
    if os.getuid() == 0:  # initdb refuses root; the cluster belongs to the postgres user
        shutil.chown(folder, "postgres")
        owner = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = folder / "data"
    made = (data / "PG_VERSION").exists()
    if not made:
        subprocess.run(
            [*owner, str(pgbin / "initdb"), "-D", str(data), "-U", "zimao", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
    subprocess.run(
        [*owner, str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
         "-w", "-o", options, "start"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        if not made:
            subprocess.run(
                [str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "zimao",
                 "zimao"],
                check=True,
            )  # fmt: skip
        yield Cluster(f"postgres://zimao@127.0.0.1:{port}/zimao", data)
    finally:
        subprocess.run(
            [*owner, str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast" if keep else "immediate",
             "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def postgres_version() -> str:
    pgbin = postgres_bin()
    if pgbin is None:
        return "?"
    out = subprocess.run([str(pgbin / "postgres"), "--version"], capture_output=True, text=True)
    words = out.stdout.split()  # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    return words[2] if len(words) > 2 else "?"
