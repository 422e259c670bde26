"""Writes for report drafts, through the one write path (`audit.writes`).

`report_draft_save` is the one write of this app (create, or update at a known version).
"""

from typing import Any

from zimao.accounts.access import Actor
from zimao.audit import writes
from zimao.audit.services import acting_user
from zimao.indicators.models import IndexVersion
from zimao.indicators.subjects import subject_from_ref

from .content import ANNUAL_SECTIONS, BENCHMARK_SECTIONS
from .models import ReportDraft
from .progress import report_period

FIELDS = ("title", "subject", "peers", "year", "sections", "index_version", "zone", "area")
SCOPE = ("province", "period", "scheduled")


def report_draft_save(
    *,
    user: Actor,
    draft: ReportDraft | None = None,
    version: int | None = None,
    kind: str = ReportDraft.Kind.BENCHMARK,
    title: str,
    subject: str,
    peers: list[str] | None = None,
    year: int,
    sections: dict[str, str] | None = None,
    index_version: IndexVersion | None = None,
    token: str | None = None,
    period: str | None = None,
    scheduled: bool | None = None,
) -> ReportDraft:
    """Create a draft, or save an edit of `draft` loaded at `version` (default: the object's
    own); the author needs edit rights over the report's subject (its zone or area office, or
    above). A draft saved by someone else since is an `EditConflict`, and nothing is written."""
    target = subject_from_ref(subject)
    period = (draft.period if draft else "") if period is None else period
    scheduled = (draft.scheduled if draft else False) if scheduled is None else scheduled
    if kind == ReportDraft.Kind.PROGRESS:
        parsed = report_period(period)  # a PeriodError for the caller to show
        period, year = parsed.code, parsed.year
    allowed_keys = BENCHMARK_SECTIONS if kind == ReportDraft.Kind.BENCHMARK else ANNUAL_SECTIONS
    values: dict[str, Any] = {
        "title": title,
        "subject": target.ref,
        "peers": [subject_from_ref(p).ref for p in peers or []],
        "year": year,
        "sections": {k: v for k, v in (sections or {}).items() if k in allowed_keys},
        "index_version": index_version,
        "zone": target.zone,
        "area": target.area,
        "province": target.scope.province or "",
        "period": period if kind == ReportDraft.Kind.PROGRESS else "",
        "scheduled": scheduled,
    }
    if draft is None:
        record = ReportDraft(kind=kind, created_by=acting_user(user), **values)
        return writes.create(user=user, record=record, fields=FIELDS + SCOPE, token=token)
    return writes.update(
        user=user,
        record=draft,
        changes=values,
        fields=FIELDS + SCOPE,
        version=draft.version if version is None else version,
    )
