"""`zimao opening check ACTIVITY --date D [--share S] [--place P] [--mode M]`: the admission
check from the terminal, answered from the same service as the page and the API."""

from argparse import ArgumentParser
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zimao.opening.admission import MODES, PLACES, check_admission


class Command(BaseCommand):
    help = "Negative lists: `check` answers an admission question"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="may a foreign investor enter this activity?")
        check.add_argument("activity", help="GB/T 4754 code or words, e.g. 增值电信业务")
        check.add_argument("--date", required=True, help="YYYY-MM-DD")
        check.add_argument("--share", default="", help="foreign share in %%")
        check.add_argument("--place", choices=PLACES, default="elsewhere")
        check.add_argument("--mode", choices=MODES, default="commercial_presence")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"日期须为 YYYY-MM-DD：{options['date']}") from None
        share = None
        if options["share"]:
            try:
                share = Decimal(options["share"])
            except InvalidOperation:
                raise CommandError(f"外资股比须为数字：{options['share']}") from None
            if not 0 <= share <= 100:
                raise CommandError("外资股比须在 0 到 100 之间")
        answer = check_admission(
            activity=options["activity"], foreign_share=share, mode=options["mode"],
            place=options["place"], day=day,
        )  # fmt: skip
        self.stdout.write(f"{answer.verdict_label} ({answer.verdict})")
        self.stdout.write(answer.explanation)
        if answer.suggestions:
            self.stdout.write("建议：" + "、".join(answer.suggestions))
