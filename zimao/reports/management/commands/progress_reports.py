from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zimao.indicators.periods import PeriodError
from zimao.reports.jobs import schedule_progress_reports


class Command(BaseCommand):
    help = (
        "Make last month's progress report (工作进展) of every zone, area and province, once, "
        "and queue its Word and PDF files (`--period 2025-11` or `2025-Q4` for another period)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", default="", help="2025-11 or 2025-Q4 (default: last month)")

    def handle(self, *args: Any, **options: Any) -> None:
        now: datetime = timezone.now()
        try:
            made = schedule_progress_reports(now, options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已生成 {made} 份工作进展报告（已有的不重复生成）")
