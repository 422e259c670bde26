from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zimao.accounts.access import SystemActor
from zimao.search.backends import Filters
from zimao.search.selectors import search


class Command(BaseCommand):
    help = "Search from the terminal: zimao search 负面清单 --zone shanghai"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+")
        parser.add_argument("--kind", default="")
        parser.add_argument("--zone", default="")
        parser.add_argument("--domain", default="")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument(
            "--all",
            action="store_true",
            help="include unpublished records (acts as the system, recorded as such)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        filters = Filters(kind=options["kind"], zone=options["zone"], domain=options["domain"])
        user = SystemActor("search") if options["all"] else None  # default: what the public sees
        limit = max(1, min(options["limit"], 100))
        outcome = search(" ".join(options["query"]), filters, user=user, limit=limit)
        words = " ".join(outcome.query.tokens)
        zone = f", zone {outcome.filters.zone}" if outcome.filters.zone else ""
        self.stdout.write(f"{outcome.total} results for [{words}]{zone} ({outcome.backend})")
        for result in outcome.results:
            snippet = result.snippet.replace("\n", " ")
            kind = f"{result.entry.kind}, relaxed" if result.relaxed else result.entry.kind
            self.stdout.write(f"  [{kind}] {result.entry.title}  {result.entry.url}")
            self.stdout.write(f"      {snippet}")
        if outcome.suggestions:
            self.stdout.write("try: " + "  ".join(outcome.suggestions))
