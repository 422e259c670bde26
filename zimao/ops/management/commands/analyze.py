from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zimao.lib.dbstats import refresh_statistics, scheduled


class Command(BaseCommand):
    help = (
        "Refresh the database's table statistics for the query planner (ANALYZE), at most once "
        "a day; --force: now, whatever was done today. Meant for a daily schedule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="refresh even if done today")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["force"]:
            refresh_statistics()
            self.stdout.write("table statistics refreshed")
        elif scheduled(timezone.now()):
            self.stdout.write("table statistics refreshed")
        else:
            self.stdout.write("table statistics already refreshed today")
