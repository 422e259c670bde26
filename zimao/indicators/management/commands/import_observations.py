from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.indicators.imports import parse_observations
from zimao.indicators.services import observation_import


class Command(BaseCommand):
    help = "Import indicator observations from CSV or XLSX (checked first; all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and preview only")
        parser.add_argument(
            "--sample",
            action="store_true",
            help="the file holds sample (invented) figures: stored and shown as 样例",
        )
        parser.add_argument(
            "--user",
            default="",
            help="act as this user (default: system:import-observations)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        preview = parse_observations(path.name, path.read_bytes())
        for error in preview.errors:
            self.stderr.write(str(error))
        if not preview.ok:
            raise CommandError("未导入任何数据")
        if options["sample"]:
            preview.rows = [replace(r, provenance="sample") for r in preview.rows]
        samples = sum(1 for r in preview.rows if r.provenance == "sample")
        unknown = sum(1 for r in preview.rows if r.value is None)
        converted = sum(1 for r in preview.rows if r.conversion)
        summary = f"{len(preview.rows)} 行有效（其中未知值 {unknown} 行，换算单位 {converted} 行"
        summary += f"，样例 {samples} 行）" if samples else "）"
        if options["dry_run"]:
            self.stdout.write(f"{summary}；试运行，未写入")
            return
        result = observation_import(
            user=_operator(options["user"]), rows=preview.rows, filename=path.name
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary}：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
            )
        )


def _operator(username: str) -> Any:
    """The named user, or the script's own name in the audit log (no lasting account)."""
    from zimao.accounts.access import SystemActor
    from zimao.accounts.models import User

    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}")
        return user
    return SystemActor("import-observations")
