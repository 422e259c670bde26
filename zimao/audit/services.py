"""Audit events: who changed what, when, from what to what, within which scope."""

from typing import Any

from django.db import models

from zimao.accounts.access import Actor, SystemActor, rules_of, scope_of
from zimao.accounts.models import User

from .models import AuditEvent


def acting_user(actor: Actor) -> User | None:
    """The signed-in user, or None for scripts and anonymous requests."""
    return actor if isinstance(actor, User) else None


def plain(value: Any) -> Any:
    """A value as JSON data: records as their id, dates as ISO text, numbers and text as is."""
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return str(value)


def audit_record(
    *,
    actor: Actor,
    action: str,
    record: models.Model,
    before: Any = None,
    after: Any = None,
    note: str = "",
) -> AuditEvent:
    """Append an audit event for `record`; call it inside the transaction of the change."""
    try:
        rules_of(record)
    except TypeError:
        zone = province = ""
        area = None
    else:
        scope = scope_of(record)
        zone, province, area = scope.zone or "", scope.province or "", scope.area
    return AuditEvent.objects.create(
        actor=acting_user(actor),
        actor_name=str(actor) if isinstance(actor, SystemActor | User) else "",
        action=action,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        before=plain(before),
        after=plain(after),
        note=note,
        zone=zone,
        province=province,
        area=area,
    )
