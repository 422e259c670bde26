import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.accounts.access import SystemActor
from zimao.documents.analysis import Analysis, analyse_path, failed_analysis
from zimao.documents.models import Document
from zimao.documents.services import document_store
from zimao.search.neighbours import batched

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


def analysed(files: list[Path], workers: int) -> Iterator[tuple[Path, Analysis]]:
    """Analyse in worker processes, keeping a bounded number of files in flight.

    A file whose analysis raises, or whose worker dies, comes back as a failed analysis; a
    broken pool is replaced and the files that were waiting in it are analysed again.
    """
    if workers <= 1:
        for path in files:
            yield path, analyse_path(path)
        return
    window = workers * 4
    queue = deque(files)
    while queue:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: deque[tuple[Path, Future[Analysis]]] = deque()
            while queue or pending:
                while queue and len(pending) < window:
                    path = queue.popleft()
                    pending.append((path, pool.submit(analyse_path, path)))
                path, future = pending.popleft()
                try:
                    yield path, future.result()
                except BrokenProcessPool:
                    yield path, failed_analysis(path, "处理该文件的工作进程异常退出")
                    queue.extendleft(reversed([waiting for waiting, _ in pending]))
                    break
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
        return "failed", stored.document.error
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
                if not options["quiet"]:
                    self.stdout.write(f"[{number}/{len(files)}] {path}: {status} ({detail})")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{len(files)} files in {elapsed:.1f}s: {counts['new']} new, "
            f"{counts['known']} already ingested, {counts['failed']} failed"
        )
