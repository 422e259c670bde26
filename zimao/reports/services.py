"""Writes for report drafts: permission check, one transaction, audit event.

`report_draft_save` is the one write of this app (create, or update at a known version).
"""

from typing import Any

from django.db import transaction
from django.db.models import F

from zimao.accounts.access import Action, Actor, check
from zimao.audit.services import acting_user, audit_record
from zimao.indicators.models import IndexVersion
from zimao.indicators.subjects import subject_from_ref

from .content import ANNUAL_SECTIONS, BENCHMARK_SECTIONS
from .models import ReportDraft

FIELDS = ("title", "subject", "peers", "year", "sections", "index_version_id")


class DraftConflict(Exception):
    """The draft was saved by someone else after it was loaded."""

    def __init__(self, changes: dict[str, tuple[Any, Any]]) -> None:
        self.changes = changes
        super().__init__(f"this draft was changed meanwhile ({', '.join(changes) or 'draft'})")


def _snapshot(draft: ReportDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in FIELDS}


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
) -> ReportDraft:
    """Create a draft, or save an edit of `draft` loaded at `version`; the author needs
    edit rights over the report's subject (its zone or area office, or above)."""
    target = subject_from_ref(subject)
    action = Action.CREATE if draft is None else Action.EDIT
    check(user, action, target.scope)
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
    }
    with transaction.atomic():
        if draft is None:
            draft = ReportDraft.objects.create(kind=kind, created_by=acting_user(user), **values)
            audit_record(actor=user, action="create", record=draft, after=_snapshot(draft))
            return draft
        before = _snapshot(draft)
        updated = ReportDraft.objects.filter(pk=draft.pk, version=version or 0).update(
            **values, version=F("version") + 1
        )
        if not updated:
            theirs = _snapshot(ReportDraft.objects.get(pk=draft.pk))
            mine = {k: values.get(k, before[k]) for k in FIELDS}
            mine["index_version_id"] = index_version.pk if index_version else None
            raise DraftConflict({k: (mine[k], theirs[k]) for k in FIELDS if mine[k] != theirs[k]})
        draft.refresh_from_db()
        audit_record(
            actor=user, action="update", record=draft, before=before, after=_snapshot(draft)
        )
    return draft
