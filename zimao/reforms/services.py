"""Writes for innovations and pilot tasks: permission check, optimistic lock, audit event."""

from copy import copy
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from zimao.accounts.models import Role, User
from zimao.accounts.permissions import Action, RecordScope, check, memberships_of
from zimao.audit.services import Actor, acting_user, audit_record
from zimao.documents.models import Document
from zimao.zones.models import Area, Zone

from .models import Domain, Effect, Innovation, PilotTask, TaskStatusChange

INNOVATION_FIELDS = ("title", "zone", "area", "domain", "mechanism", "published")
TASK_FIELDS = ("status", "evidence", "responsible_units")


class EditConflict(Exception):
    """Someone saved the record after it was loaded; `changes` says what they changed."""

    def __init__(self, changes: dict[str, tuple[Any, Any]]) -> None:
        self.changes = changes
        fields = ", ".join(changes) or "the record"
        super().__init__(f"this record was changed by someone else meanwhile ({fields}); reload it")


def snapshot(record: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """Field values as plain data (foreign keys as ids) for audit events and conflict reports."""
    values = {}
    for name in fields:
        field = record._meta.get_field(name)
        attribute = field.attname if isinstance(field, models.Field) else name
        values[name] = getattr(record, attribute)
    return values


def innovation_scope(innovation: Innovation) -> RecordScope:
    zone = innovation.zone
    return RecordScope(
        zone=zone.code if zone else None,
        province=zone.province if zone else None,
        area=innovation.area_id,
        published=innovation.published,
    )


def task_scope(task: PilotTask) -> RecordScope:
    zone = task.plan.zone
    return RecordScope(zone=zone.code, province=zone.province, area=task.area_id, published=True)


def innovation_create(
    *,
    user: Actor,
    title: str,
    zone: Zone,
    area: Area | None = None,
    domain: Domain | None = None,
    mechanism: str = "",
) -> Innovation:
    scope = RecordScope(zone.code, zone.province, area.pk if area else None)
    check(user, Action.CREATE, scope)
    with transaction.atomic():
        innovation = Innovation.objects.create(
            title=title,
            zone=zone,
            area=area,
            domain=domain,
            mechanism=mechanism,
            created_by=acting_user(user),
        )
        audit_record(
            actor=user,
            action="create",
            record=innovation,
            after=snapshot(innovation, INNOVATION_FIELDS),
        )
    return innovation


def _locked_update(
    model: type[models.Model],
    record: Any,
    version: int,
    changes: dict[str, Any],
    fields: tuple[str, ...],
) -> None:
    """UPDATE … WHERE version = the version the editor saw; a stale edit changes nothing."""
    updated = model.objects.filter(pk=record.pk, version=version).update(  # type: ignore[attr-defined]
        **changes, version=F("version") + 1
    )
    if not updated:
        current = model.objects.get(pk=record.pk)  # type: ignore[attr-defined]
        mine = snapshot(record, fields)
        theirs = snapshot(current, fields)
        raise EditConflict({k: (mine[k], theirs[k]) for k in fields if mine[k] != theirs[k]})


def _edited(record: Any, changes: dict[str, Any], fields: tuple[str, ...]) -> Any:
    """A copy with the changes applied; the caller's object stays as it was if anything is
    refused."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    edited = copy(record)
    for name, value in changes.items():
        setattr(edited, name, value)
    return edited


def _save_edit(
    user: Actor,
    record: Any,
    edited: Any,
    version: int,
    changes: dict[str, Any],
    fields: tuple[str, ...],
) -> dict[str, Any]:
    """Locked update, reload and audit event, in the caller's transaction; returns `before`."""
    before = snapshot(record, fields)
    _locked_update(type(record), edited, version, changes, fields)
    record.refresh_from_db()
    audit_record(
        actor=user, action="update", record=record, before=before, after=snapshot(record, fields)
    )
    return before


def innovation_update(
    *, user: Actor, innovation: Innovation, version: int, **changes: Any
) -> Innovation:
    """Change fields of an innovation loaded at `version`; moving it to another zone needs
    rights over both scopes, publishing it needs review rights."""
    check(user, Action.EDIT, innovation_scope(innovation))
    edited = _edited(innovation, changes, INNOVATION_FIELDS)
    if "zone" in changes or "area" in changes:
        check(user, Action.EDIT, innovation_scope(edited))
    if "published" in changes and changes["published"] != innovation.published:
        check(user, Action.REVIEW, innovation_scope(edited))
    with transaction.atomic():
        _save_edit(user, innovation, edited, version, changes, INNOVATION_FIELDS)
    return innovation


def task_update(*, user: Actor, task: PilotTask, version: int, **changes: Any) -> PilotTask:
    """Record a pilot task's progress (status, evidence, responsible units)."""
    check(user, Action.EDIT, task_scope(task))
    edited = _edited(task, changes, TASK_FIELDS)
    with transaction.atomic():
        before = _save_edit(user, task, edited, version, changes, TASK_FIELDS)
        if task.status != before["status"]:
            TaskStatusChange.objects.create(
                task=task, status=task.status, at=timezone.now(), by=acting_user(user)
            )
    return task


def visible_innovations(user: Actor) -> QuerySet[Innovation]:
    """Published innovations, plus unpublished ones inside the user's scopes."""
    memberships = memberships_of(user if isinstance(user, User) else None)
    if any(m.role in (Role.NATIONAL, Role.RESEARCHER) for m in memberships):
        return Innovation.objects.all()
    condition = Q(published=True)
    for m in memberships:
        if m.role == Role.PROVINCIAL:
            condition |= Q(zone__province=m.province)
        elif m.role == Role.ZONE:
            condition |= Q(zone=m.zone_id)
        elif m.role == Role.AREA:
            condition |= Q(area=m.area_id)
    return Innovation.objects.filter(condition)


def effect_add(
    *,
    user: Actor,
    innovation: Innovation,
    measure: str,
    before: float | None = None,
    after: float | None = None,
    unit: str = "",
    change_pct: float | None = None,
    period: str = "",
) -> "Effect":
    """Record a measured effect; the relative change is computed from before and after."""
    check(user, Action.EDIT, innovation_scope(innovation))
    if change_pct is None and before and after is not None:
        change_pct = round((after - before) / before * 100, 2)
    direction = ""
    if change_pct is not None:
        direction = "decrease" if change_pct < 0 else "increase"
    with transaction.atomic():
        effect = Effect.objects.create(
            innovation=innovation,
            measure=measure,
            before=before,
            after=after,
            unit=unit,
            change_pct=change_pct,
            direction=direction,
            period=period,
        )
        audit_record(
            actor=user,
            action="create",
            record=effect,
            after={
                "innovation": innovation.pk,
                "measure": measure,
                "before": before,
                "after": after,
                "unit": unit,
                "change_pct": change_pct,
            },
        )
    return effect


def creatable_zones(user: Actor) -> QuerySet[Zone]:
    """The zones in which the user may create records."""
    memberships = memberships_of(user if isinstance(user, User) else None)
    if any(m.role == Role.NATIONAL for m in memberships):
        return Zone.objects.all()
    condition = Q(pk__in=[])
    for m in memberships:
        if m.role == Role.PROVINCIAL:
            condition |= Q(province=m.province)
        elif m.role == Role.ZONE:
            condition |= Q(pk=m.zone_id)
        elif m.role == Role.AREA and m.area is not None:
            condition |= Q(pk=m.area.zone_id)
    return Zone.objects.filter(condition)


def evidence_attach(*, user: Actor, record: Innovation | PilotTask, document: Document) -> None:
    """Attach an ingested document as evidence of an innovation or a task."""
    scope = innovation_scope(record) if isinstance(record, Innovation) else task_scope(record)
    check(user, Action.EDIT, scope)
    with transaction.atomic():
        record.documents.add(document)
        audit_record(
            actor=user,
            action="attach_evidence",
            record=record,
            after={"document": document.pk, "title": document.title},
        )
