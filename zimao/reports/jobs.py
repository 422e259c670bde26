"""A report file (PDF or Word) generated as a background job, downloadable from the job page."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Actor
from zimao.accounts.models import User
from zimao.indicators.subjects import SubjectError
from zimao.jobs.models import Job
from zimao.jobs.progress import JobFailed, Progress
from zimao.jobs.registry import Kind, Outcome, register
from zimao.jobs.services import job_start, write_result

from .models import ReportDraft
from .render import render
from .selectors import draft_report, visible_drafts

REPORT = "report"
FILE_FORMATS = ("pdf", "docx")


def report_start(*, user: Actor, draft: ReportDraft, fmt: str) -> Job:
    """Queue the rendering of a draft the user may see as a PDF or Word file."""
    if fmt not in FILE_FORMATS:
        raise ValueError(fmt)
    if not visible_drafts(user).filter(pk=draft.pk).exists():
        raise PermissionDenied(_("该报告不在您的职责范围内。"))
    return job_start(user=user, kind=REPORT, params={"draft": draft.pk, "format": fmt})


def report_run(job: Job, progress: Progress) -> Outcome:
    fmt = str(job.params.get("format", ""))
    draft = visible_drafts(job.created_by).filter(pk=job.params.get("draft")).first()
    if draft is None or fmt not in FILE_FORMATS:
        raise JobFailed(_("报告草稿已不存在，或发起人已无权查看。"))
    progress.start(2, _("正在汇总报告数据"))
    try:
        report = draft_report(draft)
    except SubjectError as exc:
        raise JobFailed(_("报告对象无效：%(e)s") % {"e": exc}) from exc
    progress.step(1, _("正在排版 %(f)s 文件") % {"f": "PDF" if fmt == "pdf" else "Word"})
    content = render(report, fmt)
    name = write_result(
        job, f"report-{draft.pk}.{fmt}", lambda path: Path(path).write_bytes(content)
    )
    progress.step(2, _("报告已生成"))
    return Outcome(message=_("报告已生成：%(t)s") % {"t": draft.title or report.title}, file=name)


def may_report(user: Actor) -> bool:
    return isinstance(user, User) and visible_drafts(user).exists()


register(
    Kind(code=REPORT, label=gettext_lazy("生成报告文件"), run=report_run, may_start=may_report)
)
