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
