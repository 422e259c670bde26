import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.accounts.access import SystemActor
from zimao.documents.analysis import Analysis, analyse_path
from zimao.documents.services import document_store

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
    """Analyse in worker processes, keeping a bounded number of files in flight."""
    if workers <= 1:
        for path in files:
            yield path, analyse_path(path)
        return
    window = workers * 4
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[tuple[Path, Future[Analysis]]] = []
        queue = iter(files)
        for path in queue:
            pending.append((path, pool.submit(analyse_path, path)))
            if len(pending) >= window:
                done_path, future = pending.pop(0)
                yield done_path, future.result()
        for done_path, future in pending:
            yield done_path, future.result()


class Command(BaseCommand):
    help = "Ingest documents (files or folders): store each once, extract its facts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--workers", type=int, default=1, help="parallel extraction processes")
        parser.add_argument("--quiet", action="store_true", help="print only the summary")

    def handle(self, *args: Any, **options: Any) -> None:
        files = collect(options["paths"])
        if not files:
            raise CommandError("no supported files found")
        counts: Counter[str] = Counter()
        started = time.perf_counter()
        for number, (path, analysis) in enumerate(analysed(files, options["workers"]), start=1):
            data = None if analysis.error else path.read_bytes()
            stored = document_store(analysis=analysis, data=data, user=SystemActor("ingest"))
            status = "failed" if analysis.error else ("new" if stored.created else "known")
            counts[status] += 1
            if not options["quiet"]:
                detail = analysis.error or f"{len(analysis.facts)} facts, {analysis.encoding}"
                self.stdout.write(f"[{number}/{len(files)}] {path}: {status} ({detail})")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{len(files)} files in {elapsed:.1f}s: {counts['new']} new, "
            f"{counts['known']} already ingested, {counts['failed']} failed"
        )
