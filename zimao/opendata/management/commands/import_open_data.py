from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.opendata.export import FORMATS
from zimao.opendata.importer import OpenDataError, import_open_data


class Command(BaseCommand):
    help = (
        "Load a `zimao export` folder into an empty database: every public record with its "
        "codes and ids, then rebuild the search index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--format", choices=FORMATS, help="which files to read (default: the primary ones)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = import_open_data(options["directory"], options["format"])
        except OpenDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"imported {sum(counts.values())} records of {len(counts)} datasets")
        )
