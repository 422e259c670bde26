from typing import Any

from django.core.management.base import BaseCommand

from zimao.lib.dbstats import optimize


class Command(BaseCommand):
    help = (
        "Refresh the database's table statistics for the query planner now (SQLite: PRAGMA "
        "optimize and ANALYZE; PostgreSQL: ANALYZE). The scheduler does this daily by itself."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        optimize()
        self.stdout.write("table statistics refreshed")
