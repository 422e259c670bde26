from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.ops.backup import BackupError, backup_restore, restore_unfinished, resume_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `zimao backup` (from SQLite or PostgreSQL) into this database: "
        "migrates, checks every hash, loads all records and files, rebuilds the search index. "
        "A database that already holds records is refused unless --force (which replaces them). "
        "Without PATH: finish a restore that was interrupted, from the step it stopped in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, nargs="?", help="a backup archive (or its unpacked folder)"
        )
        parser.add_argument(
            "--force", action="store_true", help="replace the records this database holds"
        )
        parser.add_argument(
            "--unsigned",
            action="store_true",
            help="accept a backup without signature (made before backups were signed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["path"]
        unfinished = restore_unfinished()
        try:
            if path is None:
                resumed = resume_restore()
                if resumed is None:
                    self.stdout.write(
                        "a restore is running in another process"
                        if unfinished
                        else "no interrupted restore to resume"
                    )
                    return
                result = resumed
            else:
                if not path.exists():
                    raise CommandError(f"{path} does not exist")
                if unfinished is not None:
                    self.stdout.write(
                        f"an interrupted restore of {unfinished.get('backup')} is replaced by "
                        f"this one"
                    )
                result = backup_restore(path, force=options["force"], unsigned=options["unsigned"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {result.records} records and {result.files} files; "
                f"{result.indexed} search entries rebuilt"
            )
        )
