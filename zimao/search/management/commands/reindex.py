import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zimao.accounts.access import SystemActor
from zimao.jobs.services import job_start
from zimao.search.jobs import REINDEX
from zimao.search.services import reindex

# A rebuild is maintenance: on a busy machine it should take the CPU the web server leaves.
# Its write transactions are short and few (a batch with nothing to change takes no lock), so
# a lower priority delays the rebuild, not the writers waiting for its lock.
NICENESS = 10


class Command(BaseCommand):
    help = (
        "Rebuild the search index from innovations, replication items and documents. "
        "--background: put it on the job queue for `zimao db_worker` instead."
    )

    from_shell = False  # run as `zimao reindex`, not called inside another program

    def run_from_argv(self, argv: list[str]) -> None:
        """As a command of its own, the process may lower its priority (a caller's never)."""
        self.from_shell = True
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background", action="store_true", help="queue the rebuild as a background job"
        )
        parser.add_argument(
            "--niceness",
            type=int,
            default=NICENESS,
            help="as a command of its own, lower the process's CPU priority by this much "
            f"first (default {NICENESS}; 0 keeps it): the server's writers get the CPU first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["background"]:
            job = job_start(user=SystemActor("reindex"), kind=REINDEX)
            self.stdout.write(self.style.SUCCESS(f"queued as job {job.pk} (/jobs/{job.pk}/)"))
            return
        if self.from_shell and options["niceness"] > 0:
            os.nice(options["niceness"])
        counts = reindex()
        total = sum(counts.values())
        details = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"{total} entries indexed ({details})"))
