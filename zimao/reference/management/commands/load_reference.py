from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.lib.dbstats import refresh_statistics
from zimao.reference.loader import DATA_DIR, ReferenceDataError, load_reference, read_dataset


class Command(BaseCommand):
    help = "Validate the national reference dataset (CSV) and load it; nothing is written on error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=DATA_DIR, help="folder with the CSV files")
        parser.add_argument("--force", action="store_true", help="reload even if unchanged")
        parser.add_argument("--check", action="store_true", help="validate only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"]
        try:
            if options["check"]:
                dataset = read_dataset(directory)
                counts = {name: len(rows) for name, rows in dataset.items()}
                self.stdout.write(self.style.SUCCESS("reference data is valid"))
                self._counts(counts)
                return
            report = load_reference(directory, force=options["force"])
            refresh_statistics()  # the planner's figures for the tables just filled
        except ReferenceDataError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {directory}; nothing was loaded"
            ) from exc
        if report.skipped:
            self.stdout.write("reference data unchanged since the last load; nothing to do")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"reference data loaded: {report.created} created, {report.updated} updated"
            )
        )
        self._counts(report.counts)

    def _counts(self, counts: dict[str, int]) -> None:
        for name, count in counts.items():
            self.stdout.write(f"  {name:<26}{count:>5} rows")
