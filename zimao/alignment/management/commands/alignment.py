"""`zimao alignment assign [--batch CODE]`: make each alignment measure a pilot task in every
zone that must carry it out (the same service as the national office's button)."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zimao.accounts.access import SystemActor
from zimao.alignment.models import Batch
from zimao.alignment.services import alignment_assign


class Command(BaseCommand):
    help = "Alignment measures: `assign` turns a batch's measures into the zones' pilot tasks"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        assign = sub.add_parser("assign", help="make the measures pilot tasks in their zones")
        assign.add_argument("--batch", default="", help="batch code (default: every batch)")

    def handle(self, *args: Any, **options: Any) -> None:
        found = Batch.objects.all()
        if options["batch"]:
            found = found.filter(code=options["batch"])
            if not found.exists():
                codes = "、".join(Batch.objects.values_list("code", flat=True)) or "—"
                raise CommandError(f"没有该批次：{options['batch']}（现有：{codes}）")
        actor = SystemActor("alignment-assign")
        for batch in found:
            try:
                created = alignment_assign(user=actor, batch=batch)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            self.stdout.write(f"{batch.code}: {created} task(s) created")
