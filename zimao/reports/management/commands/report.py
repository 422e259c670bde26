from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zimao.indicators.benchmarking import parse_peers
from zimao.indicators.periods import PeriodError
from zimao.indicators.subjects import SubjectError, subject_from_ref
from zimao.reports.content import build_annual, build_benchmark
from zimao.reports.models import ReportDraft
from zimao.reports.progress import build_progress
from zimao.reports.render import render
from zimao.reports.selectors import draft_report


class Command(BaseCommand):
    help = (
        "Write a report: `report benchmark --subject area:南沙片区 --peers A,B,C --year 2023 "
        "--format pdf -o FILE`, `report annual --subject zone:sichuan …`, `report progress "
        "--subject area:南沙片区 --period 2025-11 …` (工作进展, a month or a quarter), or "
        "`report draft ID …`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["benchmark", "annual", "progress", "draft"])
        parser.add_argument("draft_id", nargs="?", type=int, help="saved draft (kind `draft`)")
        parser.add_argument("--subject", default="", help="area:名称, zone:代码 or a bare name")
        parser.add_argument("--peers", default="", help="comma-separated, as --subject")
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument("--period", default="", help="progress: 2025-11 or 2025-Q4")
        parser.add_argument("--format", choices=["pdf", "docx", "html"], default="pdf")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = self._report(options)
        except (SubjectError, PeriodError) as exc:
            raise CommandError(str(exc)) from exc
        options["output"].write_bytes(render(report, options["format"]))
        self.stdout.write(
            f"{report.title}：{options['output']}（{len(report.notes)} 个数据来源注释）"
        )

    def _report(self, options: dict[str, Any]) -> Any:
        if options["kind"] == "draft":
            draft = ReportDraft.objects.filter(pk=options["draft_id"] or 0).first()
            if draft is None:
                raise CommandError(f"没有编号为 {options['draft_id']} 的报告草稿")
            return draft_report(draft)
        if not options["subject"]:
            raise CommandError("须给出 --subject")
        subject = subject_from_ref(options["subject"])
        if options["kind"] == "progress":
            if not options["period"]:
                raise CommandError("工作进展报告须给出 --period（如 2025-11 或 2025-Q4）")
            return build_progress(subject, options["period"])
        if options["kind"] == "annual":
            return build_annual(subject, options["year"])
        peers = parse_peers(options["peers"])
        if not peers:
            raise CommandError("对标报告须给出 --peers")
        return build_benchmark(subject, peers, options["year"])
