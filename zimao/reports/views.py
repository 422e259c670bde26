import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, Actor, allowed, check
from zimao.audit.writes import EditConflict
from zimao.indicators.benchmarking import subject_choices
from zimao.indicators.index import current_version
from zimao.indicators.models import IndexVersion
from zimao.indicators.periods import PeriodError
from zimao.indicators.subjects import Kind, Subject, SubjectError, subject_from_ref
from zimao.jobs.services import JobStartFailed
from zimao.jobs.views import start_failed
from zimao.lib.downloads import attachment

from .content import ANNUAL_SECTIONS, BENCHMARK_SECTIONS, SECTION_TITLES, Report
from .jobs import FILE_FORMATS, progress_subjects, report_start
from .models import ReportDraft
from .progress import PROGRESS_SECTIONS, previous_month, progress_title, report_period
from .render import FORMATS, render_html
from .render import render as render_report
from .selectors import draft_report, editable_drafts, file_name, visible_drafts
from .services import report_draft_save


def draft_list(request: HttpRequest) -> HttpResponse:
    """Every draft the user may read; the title opens the editor only where they may edit,
    elsewhere the read-only HTML (no link that answers 403)."""
    drafts = visible_drafts(request.user)
    editable = set(editable_drafts(request.user).values_list("pk", flat=True))
    return render(request, "reports/list.html", {"drafts": drafts, "editable": editable})


YEARS = range(2000, 2101)


def _number(value: str | None, *, low: int = 0, high: int = 2**31 - 1) -> int | None:
    """A whole number within [low, high] from form input, else None (never an exception)."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if low <= number <= high else None


def _year(value: str | None) -> int | None:
    """The report year from the form: 2023 when not given, None when not a plausible year."""
    if not value:
        return 2023
    return _number(value, low=YEARS.start, high=YEARS.stop - 1)


@login_required
def draft_new(request: HttpRequest) -> HttpResponse:
    """Start a benchmarking report (subject and peers) or an annual zone report."""
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", ReportDraft.Kind.BENCHMARK)
    context: dict[str, Any] = {
        "kind": kind,
        "subject": source.get("subject", ""),
        "peers": source.getlist("peers"),
        "year": _year(source.get("year")),
        "years": list(range(2015, 2026)),
        # A one-time value: the same form sent twice creates one draft.
        "token": source.get("token", "")[:64] or uuid.uuid4().hex,
        "choices": subject_choices(Kind.AREA)
        + subject_choices(Kind.ZONE)
        + subject_choices(Kind.PILOT_AREA),
    }
    if request.method == "POST":
        try:
            if context["year"] is None:
                raise SubjectError(
                    _("年份无效：请填写 %(a)s 至 %(b)s 之间的年份")
                    % {"a": YEARS.start, "b": YEARS.stop - 1}
                )
            subject = subject_from_ref(context["subject"])
            peers = [p for p in context["peers"] if p.strip()]
            if kind == ReportDraft.Kind.BENCHMARK and not peers:
                raise SubjectError(_("请至少选择一个对标对象"))
            label = _("对标分析报告") if kind == ReportDraft.Kind.BENCHMARK else _("年度发展报告")
            draft = report_draft_save(
                user=request.user,
                kind=kind,
                title=source.get("title") or f"{subject.label}{context['year']}年{label}",
                subject=subject.ref,
                peers=peers,
                year=context["year"],
                index_version=current_version(),
                token=context["token"],
            )
            return redirect("reports:edit", pk=draft.pk)
        except SubjectError as exc:
            context["error"] = str(exc)
        except EditConflict as exc:  # the one-time token was used for something else
            context["error"] = str(exc)
            context["token"] = uuid.uuid4().hex
            return render(request, "reports/new.html", context, status=409)
    if context["year"] is None:
        context["year"] = 2023
    return render(request, "reports/new.html", context, status=400 if "error" in context else 200)


@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the narrative sections in the browser, with the computed report below."""
    draft = get_object_or_404(ReportDraft, pk=pk)
    check(request.user, Action.EDIT, draft)
    keys = {
        ReportDraft.Kind.BENCHMARK: BENCHMARK_SECTIONS,
        ReportDraft.Kind.PROGRESS: PROGRESS_SECTIONS,
    }.get(ReportDraft.Kind(draft.kind), ANNUAL_SECTIONS)
    status = 200
    if request.method == "POST":
        version = _number(request.POST.get("version", "0"))
        index_number = request.POST.get("index_version")
        index_version = draft.index_version
        if index_number:
            number = _number(index_number)
            index_version = IndexVersion.objects.filter(number=number).first() if number else None
        if version is None or (index_number and index_version is None):
            messages.error(request, _("保存失败：表单数据无效（版本号），请刷新后重试。"))
            status = 400
    if request.method == "POST" and status == 200:
        try:
            draft = report_draft_save(
                user=request.user,
                draft=draft,
                version=version or 0,
                kind=draft.kind,
                title=request.POST.get("title", draft.title).strip() or draft.title,
                subject=draft.subject,
                peers=draft.peers,
                year=draft.year,
                sections={k: request.POST.get(k, "") for k in keys},
                index_version=index_version,
            )
            messages.success(request, _("已保存。"))
            return redirect("reports:edit", pk=draft.pk)
        except EditConflict as exc:
            messages.error(request, _("保存失败：%(reason)s") % {"reason": exc})
            draft.refresh_from_db()
            status = 409
    report: Report = draft_report(draft)
    titles = SECTION_TITLES
    if draft.kind == ReportDraft.Kind.PROGRESS:
        titles = titles | {"summary": _("总体情况（补充说明，排在自动汇总之前）")}
    context = {
        "draft": draft,
        "report": report,
        "fields": [(k, titles[k], report.sections.get(k, "")) for k in keys],
        "body": render_html(report, standalone=False),
        "versions": IndexVersion.objects.all(),
        "formats": list(FORMATS),
        "background_formats": [("pdf", "PDF"), ("docx", "Word")],
    }
    return render(request, "reports/edit.html", context, status=status)


def draft_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    draft = get_object_or_404(ReportDraft, pk=pk)
    check(request.user, Action.VIEW, draft)
    if fmt not in FORMATS:
        return HttpResponse(status=404)
    content = render_report(draft_report(draft), fmt)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    if fmt != "html":
        response["Content-Disposition"] = attachment(*file_name(draft, fmt))
    return response


@require_POST
@login_required
def draft_export_background(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Generate the PDF or Word file as a background job; the job page offers the download."""
    draft = get_object_or_404(visible_drafts(request.user), pk=pk)
    if fmt not in FILE_FORMATS:
        return HttpResponse(status=404)
    try:
        job = report_start(user=request.user, draft=draft, fmt=fmt)
    except JobStartFailed as exc:
        return start_failed(request, exc)
    messages.success(request, _("已加入后台队列，生成后可在本页下载。"))
    return redirect(job)


def _progress_periods(today: date) -> list[tuple[str, str]]:
    """The last twelve months and the last four quarters, most recent first."""
    months, day = [], today
    for _step in range(12):
        code = previous_month(day)
        months.append((code, report_period(code).label))
        day = date(int(code[:4]), int(code[5:]), 1)
    quarter = (today.month - 1) // 3  # the current quarter is not over: start with the last
    year = today.year
    quarters = []
    for _step in range(4):
        if quarter == 0:
            year, quarter = year - 1, 4
        code = f"{year}-Q{quarter}"
        quarters.append((code, report_period(code).label))
        quarter -= 1
    return months + quarters


def _progress_choices(user: Actor) -> list[tuple[str, str]]:
    """The zones, areas and provinces whose progress report the user may write."""
    rules = ReportDraft.access
    return [
        (s.ref, _subject_label(s))
        for s in progress_subjects()
        if allowed(user, Action.CREATE, s.scope, rules)
    ]


def _subject_label(subject: Subject) -> str:
    if subject.kind == Kind.AREA and subject.zone is not None:
        return f"{subject.label}（{subject.zone.short_name_zh}）"
    return subject.label


@login_required
def progress_new(request: HttpRequest) -> HttpResponse:
    """Pick a zone, area or province and a month or quarter: the progress report is made (or
    the one already there reused) and its Word and PDF files queued for the job worker."""
    choices = _progress_choices(request.user)
    periods = _progress_periods(timezone.localdate())
    source = request.POST if request.method == "POST" else request.GET
    context: dict[str, Any] = {
        "choices": choices,
        "periods": periods,
        "subject": source.get("subject", ""),
        "period": source.get("period", periods[0][0]),
        "reports": visible_drafts(request.user).filter(kind=ReportDraft.Kind.PROGRESS)[:30],
    }
    if request.method != "POST":
        return render(request, "reports/progress_new.html", context)
    try:
        if context["subject"] not in {ref for ref, _label in choices}:
            raise SubjectError(_("请选择本单位负责的自贸试验区、片区或省份"))
        period = report_period(context["period"])
        subject = subject_from_ref(context["subject"])
        draft = (
            editable_drafts(request.user)
            .filter(kind=ReportDraft.Kind.PROGRESS, subject=subject.ref, period=period.code)
            .first()
        )
        if draft is None:
            draft = report_draft_save(
                user=request.user,
                kind=ReportDraft.Kind.PROGRESS,
                title=progress_title(subject, period),
                subject=subject.ref,
                year=period.year,
                period=period.code,
            )
        for fmt in ("docx", "pdf"):
            report_start(user=request.user, draft=draft, fmt=fmt)
    except (SubjectError, PeriodError) as exc:
        context["error"] = str(exc)
        return render(request, "reports/progress_new.html", context, status=400)
    except JobStartFailed as exc:
        return start_failed(request, exc)
    messages.success(
        request,
        _("已加入后台队列：Word 和 PDF 文件生成后可在“后台任务”中下载，也可在本页直接导出。"),
    )
    return redirect("reports:edit", pk=draft.pk)
