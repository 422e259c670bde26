from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zimao.accounts.access import SystemActor
from zimao.jobs.services import job_start
from zimao.search.jobs import REINDEX
from zimao.search.services import reindex


class Command(BaseCommand):
    help = (
        "Rebuild the search index from innovations, replication items and documents. "
        "--background: put it on the job queue for `zimao db_worker` instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background", action="store_true", help="queue the rebuild as a background job"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            job = job_start(user=SystemActor("reindex"), kind=REINDEX)
            self.stdout.write(self.style.SUCCESS(f"queued as job {job.pk} (/jobs/{job.pk}/)"))
            return
        counts = reindex()
        total = sum(counts.values())
        details = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"{total} entries indexed ({details})"))
