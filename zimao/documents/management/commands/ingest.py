"""`zimao ingest`: store files and folders as documents, read like uploads.

Each file is parsed in the same capped child process as an upload (analysis.analyse_bounded:
memory, CPU and wall-clock caps, and the readers' per-format budgets), never in this process, so
one hostile file in a folder of thousands costs a few seconds and a line saying which limit it
went past; the files after it are read as usual.
"""

import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.accounts.access import SystemActor
from zimao.documents.analysis import Analysis, analyse_bounded, failed_analysis
from zimao.documents.models import Document
from zimao.documents.services import document_store
from zimao.search.neighbours import batched
from zimao.text.read import MAX_BYTES

OPERATOR = SystemActor("ingest")  # recorded as such in the audit log
SUFFIXES = {".txt", ".text", ".html", ".htm", ".pdf", ".docx", ".md", ".csv"}


def collect(paths: list[Path]) -> list[Path]:
    """Files given directly, and supported files found under given folders."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
        else:
            files.append(path)
    return files


REFUSED = "超出读取上限"  # how every reading limit's reason begins


def analyse_file(path: Path) -> Analysis:
    """Read one file in a capped child process, with the budgets an upload gets. A file larger
    than the readers accept is refused before it is read into memory."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            reason = f"{REFUSED}：文件大小超过 {MAX_BYTES // (1024 * 1024)} MB"
            return Analysis(path.name, "", size, error=reason)
        data = path.read_bytes()
    except OSError as exc:
        return Analysis(path.name, "", 0, error=f"无法读取该文件：{exc.strerror}")
    return analyse_bounded(
        path.name,
        data,
        seconds=settings.DOCUMENT_READ_SECONDS,
        memory_mb=settings.DOCUMENT_READ_MEMORY_MB,
    )


def analysed(files: list[Path], workers: int) -> Iterator[tuple[Path, Analysis]]:
    """Analyse up to `workers` files at once, in order, keeping a bounded number in flight.

    Each analysis runs in its own capped child process (threads here only wait for them); a
    child that dies or runs out of time comes back as a failed analysis naming the cap.
    """
    window = max(1, workers) * 4
    queue = deque(files)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: deque[tuple[Path, Future[Analysis]]] = deque()
        while queue or pending:
            while queue and len(pending) < window:
                path = queue.popleft()
                pending.append((path, pool.submit(analyse_file, path)))
            path, future = pending.popleft()
            try:
                yield path, future.result()
            except Exception as exc:
                reason = f"无法处理该文件（{type(exc).__name__}: {exc}）"
                yield path, failed_analysis(path, reason)


def store(path: Path, analysis: Analysis) -> tuple[str, str]:
    """Store one analysed file; return its status and a detail. Never raises: a file that
    cannot be stored is recorded as failed (when even that is impossible, only reported)."""
    try:
        data = None if analysis.error else path.read_bytes()
        stored = document_store(analysis=analysis, data=data, user=OPERATOR)
    except Exception as exc:
        reason = f"无法保存该文件（{type(exc).__name__}: {exc}）"
        try:
            failed = replace(analysis, text="", facts=[], error=reason)
            document_store(analysis=failed, data=None, user=OPERATOR)
        except Exception as again:
            reason += f"; the failure could not be recorded either ({type(again).__name__})"
        return "failed", reason
    if stored.document.status == Document.Status.FAILED:
        refused = stored.document.error.startswith(REFUSED)
        return ("refused" if refused else "failed"), stored.document.error
    detail = f"{len(analysis.facts)} facts, {analysis.encoding}"
    return ("new" if stored.created else "known"), detail


class Command(BaseCommand):
    help = "Ingest documents (files or folders): store each once, extract its facts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--workers", type=int, default=1, help="parallel extraction processes")
        parser.add_argument("--quiet", action="store_true", help="print only the summary")
        parser.add_argument(
            "--similar-now",
            action="store_true",
            help="score the new passages' similar records here, not in the background worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = collect(options["paths"])
        if not files:
            raise CommandError("no supported files found")
        counts: Counter[str] = Counter()
        started = time.perf_counter()
        # The passages' similar records: scored together at the end, by the worker (or here).
        with batched(now=options["similar_now"]):
            for number, (path, analysis) in enumerate(analysed(files, options["workers"]), start=1):
                status, detail = store(path, analysis)
                counts[status] += 1
                if status == "refused":  # always shown, in Chinese: which limit, which file
                    self.stdout.write(f"[{number}/{len(files)}] {path}：已拒绝，{detail}")
                elif not options["quiet"]:
                    self.stdout.write(f"[{number}/{len(files)}] {path}: {status} ({detail})")
        elapsed = time.perf_counter() - started
        failed = counts["failed"] + counts["refused"]
        self.stdout.write(
            f"{len(files)} files in {elapsed:.1f}s: {counts['new']} new, "
            f"{counts['known']} already ingested, {failed} failed"
            + (f" ({counts['refused']} refused: over a reading limit)" if counts["refused"] else "")
        )
