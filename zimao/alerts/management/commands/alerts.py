"""`zimao alerts`: the periodic work of alerts, safe to run as often as wanted."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zimao.alerts.delivery import scheduled
from zimao.lib.commands import acting_now


class Command(BaseCommand):
    help = "make the daily e-mail digests (once a day) and send every delivery that is due"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date and time to act as (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = acting_now(options["now"])
        swept = scheduled(now)
        self.stdout.write(f"digests: {swept.digests}, sent: {swept.sent}")
