"""`zimao schedule list` and `zimao schedule run-due [--now ISO]`: the periodic entries, and
starting those due by hand or from cron (the job worker does it every minute by itself)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zimao.jobs.models import ScheduledRun
from zimao.jobs.schedule import ENTRIES, period_of, run_due
from zimao.lib.commands import moment


class Command(BaseCommand):
    help = "List the periodic entries, or start as jobs those whose current period has not run."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="every entry, its cadence and its latest period")
        due = actions.add_parser("run-due", help="start a job for every entry due now")
        due.add_argument("--now", type=moment, default=None, help="run as of this ISO time")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for entry in ENTRIES:
                last = (
                    ScheduledRun.objects.filter(entry=entry.name)
                    .order_by("-period")
                    .values_list("period", flat=True)
                    .first()
                )
                self.stdout.write(
                    f"{entry.name:<16}{entry.cadence:<9}{entry.function}  last: {last or '-'}"
                )
            return
        now = options["now"] or timezone.now()
        jobs = run_due(now)
        for job in jobs:
            self.stdout.write(f"started {job.kind} for {job.params['period']}: job {job.pk}")
        if not jobs:
            periods = ", ".join(f"{e.name} {period_of(e.cadence, now)}" for e in ENTRIES)
            self.stdout.write(f"nothing due ({periods} already started)")
