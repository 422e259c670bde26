"""A report file (PDF or Word) generated as a background job, downloadable from the job page;
and the monthly schedule that makes last month's progress report of every zone, area and
province (`scheduled`)."""

import logging
from datetime import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Actor, SystemActor
from zimao.accounts.models import User
from zimao.indicators.benchmarking import subjects_of_kind
from zimao.indicators.subjects import Kind as SubjectKind
from zimao.indicators.subjects import Subject, SubjectError
from zimao.jobs.models import Job
from zimao.jobs.progress import JobFailed, Progress
from zimao.jobs.registry import Kind, Outcome, register
from zimao.jobs.services import JobStartFailed, job_start, write_result

from .models import ReportDraft
from .progress import previous_month, progress_title, province_subjects, report_period
from .render import render
from .selectors import draft_report, file_name, visible_drafts
from .services import report_draft_save

logger = logging.getLogger(__name__)
REPORT = "report"
FILE_FORMATS = ("pdf", "docx")
SCHEDULE = SystemActor("progress-report-schedule")


def report_start(*, user: Actor, draft: ReportDraft, fmt: str) -> Job:
    """Queue the rendering of a draft the user may see as a PDF or Word file."""
    if fmt not in FILE_FORMATS:
        raise ValueError(fmt)
    if not visible_drafts(user).filter(pk=draft.pk).exists():
        raise PermissionDenied(_("该报告不在您的职责范围内。"))
    params = {"draft": draft.pk, "format": fmt}
    if isinstance(user, SystemActor):  # filed under the report's office, run on the schedule's
        params["system"] = True
        office = (draft.zone.code if draft.zone else "", draft.province, draft.area_id)
        return job_start(user=user, kind=REPORT, params=params, office=office)
    return job_start(user=user, kind=REPORT, params=params)


def report_run(job: Job, progress: Progress) -> Outcome:
    fmt = str(job.params.get("format", ""))
    reader: Actor = SCHEDULE if job.params.get("system") is True else job.created_by
    draft = visible_drafts(reader).filter(pk=job.params.get("draft")).first()
    if draft is None or fmt not in FILE_FORMATS:
        raise JobFailed(_("报告草稿已不存在，或发起人已无权查看。"))
    progress.start(2, _("正在汇总报告数据"))
    try:
        report = draft_report(draft)
    except SubjectError as exc:
        raise JobFailed(_("报告对象无效：%(e)s") % {"e": exc}) from exc
    progress.step(1, _("正在排版 %(f)s 文件") % {"f": "PDF" if fmt == "pdf" else "Word"})
    content = render(report, fmt)
    name = write_result(job, file_name(draft, fmt)[0], lambda path: Path(path).write_bytes(content))
    progress.step(2, _("报告已生成"))
    return Outcome(message=_("报告已生成：%(t)s") % {"t": draft.title or report.title}, file=name)


def may_report(user: Actor) -> bool:
    if isinstance(user, SystemActor):
        return True
    return isinstance(user, User) and visible_drafts(user).exists()


register(
    Kind(code=REPORT, label=gettext_lazy("生成报告文件"), run=report_run, may_start=may_report)
)


def progress_subjects() -> list[Subject]:
    """Every zone, area and province a progress report is made for."""
    return (
        subjects_of_kind(SubjectKind.ZONE)
        + subjects_of_kind(SubjectKind.AREA)
        + province_subjects()
    )


def schedule_period(period: str, subject: Subject) -> bool:
    """Make the scheduled progress report of one subject and period, and queue its Word and
    PDF files; False when it was made before (by an earlier run, or a concurrent one)."""
    if ReportDraft.objects.filter(scheduled=True, subject=subject.ref, period=period).exists():
        return False
    try:
        with transaction.atomic():  # the draft and its two jobs, or nothing
            draft = report_draft_save(
                user=SCHEDULE,
                kind=ReportDraft.Kind.PROGRESS,
                title=progress_title(subject, report_period(period)),
                subject=subject.ref,
                year=report_period(period).year,
                period=period,
                scheduled=True,
            )
            for fmt in ("docx", "pdf"):
                report_start(user=SCHEDULE, draft=draft, fmt=fmt)
    except IntegrityError:
        return False  # a concurrent run made it first
    return True


def scheduled(now: datetime) -> None:
    """The monthly schedule's entry point: last month's progress reports, once per period."""
    schedule_progress_reports(now)


def schedule_progress_reports(now: datetime, period: str = "") -> int:
    """Make last month's progress report (the month before `now`'s, local time) of every zone,
    area and province, once: safe to call any number of times in a month. Returns how many
    reports were made by this call. A subject that fails is logged and tried again next call."""
    if timezone.is_naive(now):
        now = timezone.make_aware(now)
    period = period or previous_month(timezone.localtime(now).date())
    report_period(period)
    made = 0
    for subject in progress_subjects():
        try:
            made += schedule_period(period, subject)
        except (SubjectError, JobStartFailed) as exc:
            logger.warning("progress report %s %s not made: %s", subject.ref, period, exc)
    return made
