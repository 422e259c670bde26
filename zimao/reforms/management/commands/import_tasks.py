from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.accounts.access import SystemActor
from zimao.audit.writes import EditConflict
from zimao.reforms.imports import parse_tasks, tasks_import
from zimao.zones.models import Plan


class Command(BaseCommand):
    help = "Import a plan's pilot tasks from CSV or XLSX (validated first; all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", type=int, required=True, help="plan id")
        parser.add_argument("--dry-run", action="store_true", help="validate and preview only")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(pk=options["plan"]).select_related("zone").first()
        if plan is None:
            raise CommandError(f"no plan {options['plan']}")
        path: Path = options["file"]
        preview = parse_tasks(path.name, path.read_bytes(), plan)
        for error in preview.errors:
            self.stderr.write(error)
        if not preview.ok:
            raise CommandError("nothing was imported")
        if options["dry_run"]:
            self.stdout.write(f"{len(preview.rows)} rows are valid (dry run, nothing written)")
            return
        # The command line acts as a named system actor, recorded as such in the audit log.
        operator = SystemActor("import-tasks")
        try:
            created, updated = tasks_import(user=operator, plan=plan, rows=preview.rows)
        except EditConflict as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{created} new, {updated} updated"))
