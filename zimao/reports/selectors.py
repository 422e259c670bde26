"""Which drafts a user may see, and a draft turned into its report."""

from django.db.models import QuerySet

from zimao.accounts.access import Action, Actor, visible
from zimao.indicators.subjects import subject_from_ref

from .content import Report, build_annual, build_benchmark
from .models import ReportDraft


def visible_drafts(user: Actor) -> QuerySet[ReportDraft]:
    """Drafts are internal: national offices and researchers see all, other offices those of
    their scope (`ReportDraft.access`), everyone else none."""
    return visible(user, ReportDraft.objects.all())


def editable_drafts(user: Actor) -> QuerySet[ReportDraft]:
    """The drafts whose editor the user may open (their own office's scope)."""
    return visible(user, ReportDraft.objects.all(), Action.EDIT)


def file_name(draft: ReportDraft, fmt: str) -> tuple[str, str]:
    """The download's name (成都天府新区片区-2025年11月工作进展.docx) and its ASCII stand-in
    (zimao-progress-2025-11-7.docx) for clients that cannot read the first."""
    from .progress import report_period

    subject = subject_from_ref(draft.subject).label
    if draft.kind == ReportDraft.Kind.PROGRESS:
        what = f"{report_period(draft.period).label}工作进展"
    elif draft.kind == ReportDraft.Kind.ANNUAL:
        what = f"{draft.year}年度发展报告"
    else:
        what = f"{draft.year}年对标分析报告"
    when = draft.period or str(draft.year)
    return f"{subject}-{what}.{fmt}", f"zimao-{draft.kind}-{when}-{draft.pk}.{fmt}"


def draft_report(draft: ReportDraft) -> Report:
    subject = subject_from_ref(draft.subject)
    if draft.kind == ReportDraft.Kind.PROGRESS:
        from .progress import build_progress

        return build_progress(subject, draft.period, draft.sections, draft.title)
    if draft.kind == ReportDraft.Kind.ANNUAL:
        return build_annual(subject, draft.year, draft.sections, draft.title)
    peers = [subject_from_ref(p) for p in draft.peers]
    return build_benchmark(
        subject, peers, draft.year, draft.sections, draft.index_version, draft.title
    )
