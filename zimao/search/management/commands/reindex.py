from typing import Any

from django.core.management.base import BaseCommand

from zimao.search.services import reindex


class Command(BaseCommand):
    help = "Rebuild the search index from innovations, replication items and documents."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reindex()
        total = sum(counts.values())
        details = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"{total} entries indexed ({details})"))
