"""`zimao demand-deadlines`: remind departments and offices of assignments due soon or overdue."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zimao.demands.reminders import scheduled
from zimao.lib.commands import acting_now


class Command(BaseCommand):
    help = "remind departments of demand assignments due soon or overdue (once per threshold)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date and time to act as (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = acting_now(options["now"])
        sent = scheduled(now)
        self.stdout.write(f"due soon: {sent.due_soon}, overdue: {sent.overdue}")
