"""Which drafts a user may see, and a draft turned into its report."""

from django.db.models import QuerySet

from zimao.accounts.access import Action, Actor, allowed, memberships_of
from zimao.accounts.models import Role, User
from zimao.indicators.subjects import SubjectError, subject_from_ref

from .content import Report, build_annual, build_benchmark
from .models import ReportDraft


def visible_drafts(user: Actor) -> QuerySet[ReportDraft]:
    """Drafts are internal: national offices and researchers see all, others those of the
    subjects they may edit."""
    memberships = memberships_of(user if isinstance(user, User) else None)
    if not memberships:
        return ReportDraft.objects.none()
    if any(m.role in (Role.NATIONAL, Role.RESEARCHER) for m in memberships):
        return ReportDraft.objects.all()
    keep = []
    for draft in ReportDraft.objects.all():
        try:
            if allowed(user, Action.EDIT, subject_from_ref(draft.subject).scope):
                keep.append(draft.pk)
        except SubjectError:
            continue
    return ReportDraft.objects.filter(pk__in=keep)


def draft_report(draft: ReportDraft) -> Report:
    subject = subject_from_ref(draft.subject)
    if draft.kind == ReportDraft.Kind.ANNUAL:
        return build_annual(subject, draft.year, draft.sections, draft.title)
    peers = [subject_from_ref(p) for p in draft.peers]
    return build_benchmark(
        subject, peers, draft.year, draft.sections, draft.index_version, draft.title
    )
