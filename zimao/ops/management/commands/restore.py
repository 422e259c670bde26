from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `zimao backup` (from SQLite or PostgreSQL) into this database: "
        "migrates, checks every hash, loads all records and files, rebuilds the search index. "
        "A database that already holds records is refused unless --force (which replaces them)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a backup archive (or its unpacked folder)")
        parser.add_argument(
            "--force", action="store_true", help="replace the records this database holds"
        )
        parser.add_argument(
            "--unsigned",
            action="store_true",
            help="accept a backup without signature (made before backups were signed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            result = backup_restore(path, force=options["force"], unsigned=options["unsigned"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {result.records} records and {result.files} files; "
                f"{result.indexed} search entries rebuilt"
            )
        )
