"""`zimao task-deadlines`: alert the offices of tasks that became due soon or overdue."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zimao.lib.commands import acting_now
from zimao.reforms.deadlines import scheduled


class Command(BaseCommand):
    help = "alert offices of pilot tasks due soon or overdue (once per task and threshold)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date and time to act as (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = acting_now(options["now"])
        sent = scheduled(now)
        self.stdout.write(f"due soon: {sent.due_soon}, overdue: {sent.overdue}")
