"""`zimao demand-indicators`: recompute the per-zone demand indicators of some years."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.demands.indicators import compute_year, years_due
from zimao.lib.commands import acting_now


class Command(BaseCommand):
    help = (
        "compute the demand measures per zone and year as indicators (computed from the demand "
        "records, not official statistics); a year computed again replaces its values"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, action="append", help="a year to compute (repeatable)"
        )
        parser.add_argument(
            "--now", help="ISO date and time to act as (default: now): its year and the last"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = acting_now(options["now"])
        years = options["year"] or years_due(now)
        for year in years:
            if not 2000 <= year <= 2200:
                raise CommandError(f"year out of range: {year}")
        for year in sorted(set(years)):
            done = compute_year(year)
            self.stdout.write(
                f"{year}: created {done.created}, updated {done.updated}, "
                f"removed {done.removed}, unchanged {done.unchanged}"
            )
