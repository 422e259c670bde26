"""`zimao demand-deadlines`: remind departments and offices of assignments due soon or overdue."""

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zimao.demands.reminders import scheduled


class Command(BaseCommand):
    help = "remind departments of demand assignments due soon or overdue (once per threshold)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date and time to act as (default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            now = datetime.fromisoformat(options["now"])
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        sent = scheduled(now)
        self.stdout.write(f"due soon: {sent.due_soon}, overdue: {sent.overdue}")
