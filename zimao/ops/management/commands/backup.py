from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup archive (.tar.gz): every record as JSON lines, every stored file, and a "
        "manifest with row counts and SHA-256 hashes. Any database can restore it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="archive to write, e.g. zimao-2026-01-31.tar.gz"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if path.is_dir():
            raise CommandError(f"{path} is a folder; give the archive's file name")
        try:
            manifest = backup_create(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        records = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: {records} records of {len(manifest['counts'])} models, "
                f"{len(manifest['files'])} files"
            )
        )
