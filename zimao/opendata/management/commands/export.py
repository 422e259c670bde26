from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.opendata.export import FORMATS, export_open_data


class Command(BaseCommand):
    help = (
        "Write the public records (reference data, adoptions, published innovations) as CSV, "
        "JSON and Parquet with a Frictionless datapackage.json describing every field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--format",
            default=",".join(FORMATS),
            help="comma-separated, from csv,json,parquet (default: all three)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        formats = [f.strip() for f in options["format"].split(",") if f.strip()]
        try:
            descriptor = export_open_data(options["directory"], formats)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for resource in descriptor["resources"]:
            self.stdout.write(f"  {resource['name']:<22}{resource['zimao:rows']:>7} rows")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(descriptor['resources'])} datasets ({', '.join(formats)}) and "
                f"datapackage.json in {options['directory']}"
            )
        )
