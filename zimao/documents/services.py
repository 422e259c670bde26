"""Writes for documents and facts: ingestion and review. Each runs in one transaction."""

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zimao.audit.services import Actor, acting_user, audit_record
from zimao.reforms.models import Domain, Effect, Innovation
from zimao.replication.models import ReplicationBatch, ReplicationItem
from zimao.search.services import index_record
from zimao.zones.models import Zone

from .analysis import Analysis
from .models import Document, Fact
from .storage import save_content, when_unlocked

User = Actor


@dataclass
class Stored:
    document: Document
    created: bool


def document_store(*, analysis: Analysis, data: bytes | None, user: User = None) -> Stored:
    """Record an analysed file once per content. A failed file is recorded with its error
    and no text, file or facts, so nothing is ever half-stored.

    Concurrent stores of the same content are safe: the original is written once by whoever
    comes first and never deleted (storage.save_content), and a store that loses the race
    for the database row returns the winner's document instead of failing.
    """
    return when_unlocked(lambda: _store_once(analysis, data, user))


def _store_once(analysis: Analysis, data: bytes | None, user: User) -> Stored:
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
            document = Document.objects.create(
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
            )
            Fact.objects.bulk_create(Fact(document=document, **fact) for fact in analysis.facts)
            index_record(document)
            audit_record(
                actor=user,
                action="ingest",
                record=document,
                after={
                    "status": document.status,
                    "facts": len(analysis.facts),
                    "error": analysis.error,
                },
            )
    except IntegrityError:
        winner = Document.objects.filter(sha256=analysis.sha256).first()
        if winner is None:
            raise
        return Stored(winner, False)  # another store of the same content came first
    return Stored(document, True)


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


def fact_review(
    *, fact: Fact, user: User, action: str, fields: dict[str, Any] | None = None
) -> Fact:
    """Accept, correct or reject a fact; every decision is an audit event."""
    before = {"state": fact.state, "payload": fact.payload}
    if action == "accept":
        fact.state = Fact.State.ACCEPTED
    elif action == "reject":
        fact.state = Fact.State.REJECTED
    elif action == "correct":
        unknown = set(fields or {}) - ALLOWED_FIELDS.get(fact.type, set())
        if not fields or unknown:
            raise ReviewError(f"fields not allowed for a {fact.type} fact: {sorted(unknown)}")
        fact.payload = {**fact.payload, **fields}
        fact.state = Fact.State.CORRECTED
    else:
        raise ReviewError(f"unknown action {action!r}")
    fact.reviewed_by = acting_user(user)
    fact.reviewed_at = timezone.now()
    with transaction.atomic():
        fact.save()
        audit_record(
            actor=user,
            action=f"fact_{action}",
            record=fact,
            before=before,
            after={"state": fact.state, "payload": fact.payload},
        )
    return fact


def _require_accepted(fact: Fact, *types: str) -> None:
    if fact.type not in types:
        raise ReviewError(f"a {fact.type} fact cannot be used for this")
    if fact.state not in (Fact.State.ACCEPTED, Fact.State.CORRECTED):
        raise ReviewError("accept or correct the fact first")


def fact_to_innovation(
    *, fact: Fact, user: User, innovation: Innovation | None = None
) -> Innovation:
    """Create an innovation from a case, or attach an effect to an existing innovation."""
    _require_accepted(fact, "case", "effect")
    p = fact.payload
    with transaction.atomic():
        if innovation is None:
            if fact.type != "case":
                raise ReviewError("choose the innovation this effect belongs to")
            innovation = Innovation.objects.create(
                title=str(p.get("title") or fact.text)[:300],
                zone=Zone.objects.filter(code=p.get("zone") or "").first(),
                domain=Domain.objects.filter(code=p.get("domain") or "").first(),
            )
            audit_record(
                actor=user,
                action="create",
                record=innovation,
                after={"title": innovation.title},
                note=f"from fact {fact.pk}",
            )
        if fact.type == "effect":
            effect = Effect.objects.create(
                innovation=innovation,
                measure=str(p.get("measure") or "")[:100],
                before=p.get("before"),
                after=p.get("after"),
                unit=str(p.get("unit") or ""),
                change_pct=p.get("change_pct"),
                direction=str(p.get("direction") or ""),
                source_fact=fact,
            )
            audit_record(
                actor=user,
                action="create",
                record=effect,
                after={"innovation": innovation.pk, "fact": fact.pk},
            )
        fact.innovation = innovation
        fact.save(update_fields=["innovation"])
    return innovation


def fact_to_replication_item(*, fact: Fact, user: User, batch: ReplicationBatch) -> ReplicationItem:
    """Create or update the replication item a table row describes, in the chosen batch."""
    _require_accepted(fact, "table_row")
    p = fact.payload
    title = str(p.get("item") or "").strip()
    if not title:
        raise ReviewError("the row has no item title; correct the fact first")
    scope = str(p.get("scope") or "")
    kind = {
        "全国": "nationwide",
        "自贸试验区": "ftz",
        "自由贸易试验区": "ftz",
        "海关特殊监管区域": "special_areas",
    }.get(scope, "provinces")
    values = {
        "seq": int(p.get("seq") or 0),
        "responsible_unit": str(p.get("responsible_unit") or ""),
        "scope_kind": kind,
        "scope": scope,
        "source": f"{fact.document.title} (document {fact.document.pk})",
    }
    with transaction.atomic():
        item = ReplicationItem.objects.filter(batch=batch, title=title).first()
        before = None
        if item:
            before = {k: getattr(item, k) for k in values}
            for key, value in values.items():
                setattr(item, key, value)
            item.save()
        else:
            code = f"{batch.code}-doc{fact.document.pk}-{values['seq'] or fact.pk}"
            item = ReplicationItem.objects.create(batch=batch, title=title, code=code, **values)
        audit_record(
            actor=user,
            action="update" if before else "create",
            record=item,
            before=before,
            after=values,
            note=f"from fact {fact.pk}",
        )
        fact.replication_item = item
        fact.save(update_fields=["replication_item"])
    return item
