"""Writes for documents and facts: ingestion and review. Each runs in one transaction."""

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, memberships_of
from zimao.audit import writes
from zimao.audit.services import acting_user, audit_record
from zimao.reforms.models import Innovation, PilotTask
from zimao.reforms.services import (
    check_not_frozen,
    effect_add,
    innovation_create,
    validate_effect,
)
from zimao.replication.models import ReplicationBatch, ReplicationItem
from zimao.replication.services import item_from_row
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Zone

from .analysis import Analysis
from .models import Document, Fact
from .storage import save_content, when_unlocked
from .subject_review import subject_zones

User = Actor


@dataclass
class Stored:
    document: Document
    created: bool


def document_owner(user: User) -> tuple[Zone | None, Area | None]:
    """The office a user's upload belongs to: their one area or zone; none (national) for
    national, provincial and research users or anyone with several scopes."""
    scopes = {(m.zone, m.area) for m in memberships_of(user) if m.zone_id or m.area_id}
    if len(scopes) != 1:
        return None, None
    zone, area = scopes.pop()
    return (area.zone if area else zone), area


def document_store(*, analysis: Analysis, data: bytes | None, user: User = None) -> Stored:
    """Record an analysed file once per content. A failed file is recorded with its error
    and no text, file or facts, so nothing is ever half-stored. The document belongs to the
    uploader's office (see document_owner), whose right to add documents is checked first.

    Concurrent stores of the same content are safe: the original is written once by whoever
    comes first and never deleted (storage.save_content), and a store that loses the race
    for the database row returns the winner's document instead of failing.
    """
    zone, area = document_owner(user)
    writes.check(user, Action.CREATE, Document(zone=zone, area=area))
    return when_unlocked(lambda: _store_once(analysis, data, user, zone, area))


def _store_once(
    analysis: Analysis, data: bytes | None, user: User, zone: Zone | None, area: Area | None
) -> Stored:
    existing = Document.objects.filter(sha256=analysis.sha256).first()
    if existing and existing.status == Document.Status.PROCESSED:
        return Stored(existing, False)
    path = ""
    if not analysis.error and data is not None:
        path = save_content(analysis.sha256, analysis.name, data)
    try:
        with transaction.atomic():
            if existing:  # an earlier failure of the same content is retried
                Document.objects.filter(pk=existing.pk, status=Document.Status.FAILED).delete()
            document = Document(
                title=PurePath(analysis.name).stem[:300],
                original_name=analysis.name[:300],
                file=path,
                sha256=analysis.sha256,
                size=analysis.size,
                format=analysis.format,
                encoding=analysis.encoding,
                text=analysis.text,
                status=Document.Status.FAILED if analysis.error else Document.Status.PROCESSED,
                error=analysis.error,
                created_by=acting_user(user),
                zone=zone,
                area=area,
                subject_zones=analysis.subject_zones,
                subject_evidence=analysis.subject_evidence,
                subject_status="" if analysis.error else Document.SubjectStatus.AUTO,
            )

            def add_facts(stored: Document) -> None:
                _insert_facts(stored, analysis.facts)

            writes.create(
                user=user,
                record=document,
                fields=DOCUMENT_FIELDS,
                audit_action="ingest",
                note=_("抽取事实 %(n)s 条") % {"n": len(analysis.facts)},
                then=add_facts,
            )
    except (IntegrityError, writes.EditConflict):
        winner = Document.objects.filter(sha256=analysis.sha256).first()
        if winner is None:
            raise
        return Stored(winner, False)  # another store of the same content came first
    return Stored(document, True)


FACT_COLUMNS = ("type", "start", "end", "text", "confidence", "payload")


def _insert_facts(document: Document, facts: list[dict[str, Any]]) -> None:
    """The document's facts in one statement: a long report has thousands, and building a
    model instance for each cost four times their extraction."""
    if not facts:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in ("document_id", *FACT_COLUMNS, "state", "version"))
    marks = ", ".join(["%s"] * (len(FACT_COLUMNS) + 3))
    sql = f"INSERT INTO {quote(Fact._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    encoder = getattr(Fact._meta.get_field("payload"), "encoder", None)
    rows = [
        (
            document.pk,
            *(
                connection.ops.adapt_json_value(f["payload"], encoder)
                if name == "payload"
                else f[name]
                for name in FACT_COLUMNS
            ),
            Fact.State.PENDING.value,
            1,
        )
        for f in facts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class ReviewError(ValueError):
    """A review request that cannot be carried out; the message says why."""


ALLOWED_FIELDS = {
    "zone": {"zone", "area"},
    "quantity": {
        "value",
        "value_max",
        "unit",
        "approx",
        "redacted",
        "indicator",
        "subject",
        "year",
    },
    "effect": {"measure", "before", "after", "unit", "change_pct", "change_abs", "direction"},
    "date": {"date", "redacted"},
    "case": {"title", "zone", "domain"},
    "table_row": {"table", "cells", "seq", "item", "responsible_unit", "scope"},
}
ACTIONS = {
    "accept": Fact.State.ACCEPTED,
    "reject": Fact.State.REJECTED,
    "correct": Fact.State.CORRECTED,
}


def _check_effect_figures(payload: dict[str, Any]) -> None:
    """A corrected effect's stated change must agree with its before and after figures."""
    before, after = _number(payload.get("before")), _number(payload.get("after"))
    if before is None or after is None:
        return
    try:
        payload["change_pct"] = validate_effect(before, after, _number(payload.get("change_pct")))
    except ValidationError as exc:
        raise ReviewError("；".join(exc.messages)) from exc


def fact_review(
    *,
    fact: Fact,
    user: User,
    action: str,
    fields: dict[str, Any] | None = None,
    version: int | None = None,
    note: str = "",
) -> Fact:
    """Accept, correct or reject a fact loaded at `version` (default: as loaded); every
    decision is an audit event."""
    if action not in ACTIONS:
        raise ReviewError(_("未知的审核操作"))
    changes: dict[str, Any] = {
        "state": ACTIONS[action],
        "reviewed_by": acting_user(user),
        "reviewed_at": timezone.now(),
    }
    if action == "correct":
        unknown = set(fields or {}) - ALLOWED_FIELDS.get(fact.type, set())
        if not fields:
            raise ReviewError(_("更正时须填写内容"))
        if unknown:
            raise ReviewError(
                _("该类事实不能更正这些字段：%(f)s") % {"f": "、".join(sorted(unknown))}
            )
        changes["payload"] = {**fact.payload, **fields}
        if fact.type == "effect":
            _check_effect_figures(changes["payload"])
    return writes.update(
        user=user,
        record=fact,
        changes=changes,
        fields=("state", "payload", "reviewed_by", "reviewed_at"),
        version=fact.version if version is None else version,
        action=Action.REVIEW,
        audit_action=f"fact_{action}",
        note=note,
    )


def facts_review(*, facts: list[Fact], user: User, action: str, note: str = "") -> int:
    """Accept or reject several facts at once: each through `fact_review` (checked, versioned
    at the version it was loaded with, and audited one by one, so every fact's history shows
    its decision), all or none: a fact changed meanwhile by another reviewer raises
    EditConflict and nothing is written."""
    if action not in ("accept", "reject"):
        raise ReviewError(_("批量操作只能采纳或驳回"))
    with transaction.atomic():
        for fact in facts:
            fact_review(fact=fact, user=user, action=action, note=note)
    return len(facts)


def document_rename(*, user: User, document: Document, title: str, seen: str) -> Document:
    """Give a document a new title (audited; its search entries follow after the commit).
    `seen` is the title the editor started from: a rename made meanwhile is not overwritten."""
    title = " ".join(title.split())[:300]
    if not title:
        raise ReviewError(_("标题不能为空"))
    with transaction.atomic():
        current = Document.objects.select_for_update().get(pk=document.pk)
        if current.title != seen:
            raise ReviewError(
                _("该文档刚被他人改名为“%(t)s”，请确认后再修改。") % {"t": current.title}
            )
        if title == current.title:
            return current
        return writes.update(
            user=user,
            record=current,
            changes={"title": title},
            fields=("title",),
            audit_action="rename",
        )


DOCUMENT_FIELDS = ("title", "original_name", "sha256", "status", "error", "zone", "area")


def document_delete(*, user: User, document: Document) -> None:
    """Remove a document that could not be read (it has no text, file or facts); its last
    state stays in the audit log."""
    if document.status != Document.Status.FAILED:
        raise ReviewError(_("只能删除处理失败的文档"))
    writes.delete(user=user, record=document, fields=DOCUMENT_FIELDS)


def document_retry(*, user: User, document: Document, analysis: Analysis, data: bytes) -> Stored:
    """Replace a failed document by a new attempt with the same or a corrected file: the
    failed record is deleted (audited) and the file is stored as a new upload."""
    if document.status != Document.Status.FAILED:
        raise ReviewError(_("只有处理失败的文档才能重试"))
    writes.check(user, Action.EDIT, document)
    with transaction.atomic():
        document_delete(user=user, document=document)
        return document_store(analysis=analysis, data=data, user=user)


def _require_accepted(fact: Fact, *types: str) -> None:
    if fact.type not in types:
        raise ReviewError(_("该类事实不能用于此操作"))
    if fact.state not in (Fact.State.ACCEPTED, Fact.State.CORRECTED):
        raise ReviewError(_("请先采纳或更正该事实"))


def fact_zone(fact: Fact) -> Zone | None:
    """The zone a fact is about: the one it names, else its document's subject, else the one
    its document names most."""
    code = fact.payload.get("zone") or ""
    if not code:
        code = next(iter(subject_zones(fact.document)), "")
    if not code:
        counts = Counter(
            f.payload.get("zone")
            for f in fact.document.facts.filter(type="zone").only("payload")[:500]
        )
        code = counts.most_common(1)[0][0] if counts else ""
    return Zone.objects.filter(code=code).first() if code else None


def fact_area(fact: Fact, zone: Zone | None) -> Area | None:
    """The area (片区) of the zone a case is about, so the area office finds the innovation made
    from it: the area the case names, else the area whose office the document belongs to, else
    the one area of the zone the document names (none when it names several)."""
    if zone is None:
        return None
    areas = {a.name_zh: a for a in Area.objects.filter(zone=zone)}
    named = str(fact.payload.get("area") or "")
    if named in areas:
        return areas[named]
    document = fact.document
    if document.area_id is not None and document.area_id in {a.pk for a in areas.values()}:
        return document.area
    mentioned = {
        str(f.payload.get("area") or "")
        for f in document.facts.filter(type="zone").only("payload")[:500]
        if f.payload.get("zone") == zone.code
    } & set(areas)
    return areas[mentioned.pop()] if len(mentioned) == 1 else None


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ReviewError(_("数值无效：%(v)s") % {"v": value}) from None


def fact_to_innovation(
    *, fact: Fact, user: User, innovation: Innovation | None = None
) -> Innovation:
    """Create an innovation from a case, or add an effect to an existing innovation, through
    the same services (and rights) as the forms."""
    _require_accepted(fact, "case", "effect")
    writes.check(user, Action.REVIEW, fact)
    p = fact.payload
    with transaction.atomic():
        if innovation is None:
            if fact.type != "case":
                raise ReviewError(_("请选择该成效所属的制度创新成果"))
            zone = fact_zone(fact)
            innovation = innovation_create(
                user=user,
                title=str(p.get("title") or fact.text)[:300],
                zone=zone,
                area=fact_area(fact, zone),
                domain=Domain.objects.filter(code=p.get("domain") or "").first(),
                note=f"fact {fact.pk}",
            )
        if fact.type == "effect":
            try:
                effect_add(
                    user=user,
                    innovation=innovation,
                    measure=str(p.get("measure") or _("成效"))[:100],
                    before=_number(p.get("before")),
                    after=_number(p.get("after")),
                    unit=str(p.get("unit") or ""),
                    change_pct=_number(p.get("change_pct")),
                    source_fact=fact,
                )
            except ValidationError as exc:
                raise ReviewError("；".join(exc.messages)) from exc
        _link(user, fact, innovation=innovation)
    return innovation


SCOPE_KINDS = {
    "全国": "nationwide",
    "自贸试验区": "ftz",
    "自由贸易试验区": "ftz",
    "海关特殊监管区域": "special_areas",
}


def fact_to_replication_item(*, fact: Fact, user: User, batch: ReplicationBatch) -> ReplicationItem:
    """Create or update the replication item a table row describes, in the chosen batch
    (national records: the national office's right)."""
    _require_accepted(fact, "table_row")
    writes.check(user, Action.REVIEW, fact)
    p = fact.payload
    title = str(p.get("item") or "").strip()
    if not title:
        raise ReviewError(_("该行没有事项名称，请先更正"))
    scope = str(p.get("scope") or "")
    try:
        seq = int(p.get("seq") or 0)
    except (TypeError, ValueError):
        raise ReviewError(_("序号无效")) from None
    values: dict[str, object] = {
        "title": title[:300],
        "seq": max(0, min(seq, 32767)),
        "responsible_unit": str(p.get("responsible_unit") or "")[:200],
        "scope_kind": SCOPE_KINDS.get(scope, "provinces"),
        "scope": scope,
        "source": f"{fact.document.title} (document {fact.document.pk})",
    }
    if not ReplicationItem.objects.filter(batch=batch, title=title).exists():
        values["code"] = f"{batch.code}-doc{fact.document.pk}-{seq or fact.pk}"[:60]
    with transaction.atomic():
        item = item_from_row(user=user, batch=batch, values=values, note=f"fact {fact.pk}")
        _link(user, fact, replication_item=item)
    return item


def _link(user: User, fact: Fact, **record: Innovation | ReplicationItem) -> None:
    """Point the fact at the record made from it (audited on the fact, as its review is)."""
    writes.update(
        user=user,
        record=fact,
        changes=record,
        fields=("innovation", "replication_item"),
        version=fact.version,
        action=Action.REVIEW,
        audit_action="fact_link",
    )


def evidence_attach(*, user: Actor, record: Innovation | PilotTask, document: Document) -> None:
    """Attach an ingested document as evidence of an innovation or a task."""
    writes.check(user, Action.EDIT, record)
    writes.check(user, Action.VIEW, document)
    if isinstance(record, Innovation):
        check_not_frozen(record)  # a selected innovation takes no new evidence until reopened
    with writes.atomic():
        record.documents.add(document)
        audit_record(
            actor=user,
            action="attach_evidence",
            record=record,
            after={"document": document.pk, "title": document.title},
        )
