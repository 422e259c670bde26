"""The one write path: check → versioned update (or row lock) → audit before/after → re-index
after commit. Every service write in every app goes through `create`, `update` or `delete`.

A record with a `version` field is updated with `UPDATE … WHERE version = <the version the
editor saw>`: a stale edit changes nothing and raises `EditConflict` with what changed. A record
without one is locked (`SELECT … FOR UPDATE`) for the length of the write.
"""

from collections.abc import Callable, Mapping
from copy import copy
from functools import partial
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, allowed, check
from zimao.lib.signals import record_changed

from .models import AuditEvent
from .services import acting_user, audit_record, plain

atomic = transaction.atomic
__all__ = [
    "EditConflict",
    "atomic",
    "check",
    "check_allowed",
    "create",
    "delete",
    "reindex_after_commit",
    "update",
]


def check_allowed(user: Actor, record: models.Model, action: Action = Action.CREATE) -> bool:
    """Whether `create`/`update` would let the user write this record (menus, form choices)."""
    return allowed(user, action, record)


M = TypeVar("M", bound=models.Model)


class EditConflict(Exception):
    """Someone saved the record after it was loaded; `changes` maps each field that differs to
    (yours, current)."""

    def __init__(
        self, changes: Mapping[str, tuple[Any, Any]], model: type[models.Model] | None = None
    ) -> None:
        self.changes = dict(changes)
        names = [_field_name(model, name) for name in self.changes if name != "version"]
        if model is not None and names:
            message = _("该记录已被他人修改（%(fields)s），请刷新后重试。") % {
                "fields": "、".join(names)
            }
        else:
            message = _("该记录已被他人修改，请刷新后重试。")
        super().__init__(message)


def _field_name(model: type[models.Model] | None, name: str) -> str:
    """A field's verbose name (what the form calls it), never its internal name."""
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except Exception:  # not a field of the model
        return _("记录")


def snapshot(record: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """Field values as plain data (foreign keys as ids) for audit events and conflict reports."""
    values = {}
    for name in fields:
        field = record._meta.get_field(name)
        attribute = field.attname if isinstance(field, models.Field) else name
        values[name] = plain(getattr(record, attribute))
    return values


def has_version(record: models.Model | type[models.Model]) -> bool:
    return any(f.name == "version" for f in record._meta.concrete_fields)


def reindex_after_commit(record: models.Model, deleted: bool = False) -> None:
    send = partial(record_changed.send, sender=type(record), record=record, deleted=deleted)
    transaction.on_commit(send)


def create(
    *,
    user: Actor,
    record: M,
    fields: tuple[str, ...],
    action: Action = Action.CREATE,
    audit_action: str = "create",
    note: str = "",
    then: Callable[[M], None] | None = None,
    token: str | None = None,
) -> M:
    """Insert a new record the user may create; a unique clash is reported as a conflict.

    `token` (a form's one-time value) is stored on the audit event: the same submission sent
    again returns the record the first one created instead of a duplicate.
    """
    check(user, action, record)
    model = type(record)
    if token:
        earlier = _created_with(model, token, user)
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            record.save(force_insert=True)
            if then is not None:
                then(record)
            event = audit_record(
                actor=user,
                action=audit_action,
                record=record,
                after=snapshot(record, fields),
                note=note,
            )
            if token:
                AuditEvent.objects.filter(pk=event.pk).update(token=token[:64])
            reindex_after_commit(record)
    except IntegrityError as exc:
        record.pk = None
        if token and (earlier := _created_with(model, token, user)) is not None:
            return earlier
        raise EditConflict({}) from exc
    return record


class TokenReused(EditConflict):
    """A one-time token already used by someone else or for another kind of record: the
    submission is refused (409), never answered with that other record."""

    def __init__(self) -> None:
        Exception.__init__(self, _("该表单已经提交过，不能再次使用，请刷新页面后重新填写。"))
        self.changes = {}


def _created_with(model: type[M], token: str, user: Actor) -> M | None:
    """The record this user created with `token`; a token of another user or record type
    is refused."""
    event = AuditEvent.objects.filter(token=token[:64]).first()
    if event is None:
        return None
    maker = acting_user(user)
    if event.record_type != model._meta.label_lower or event.actor_id != (maker and maker.pk):
        raise TokenReused()
    return model._default_manager.filter(pk=event.record_id).first()


def update(
    *,
    user: Actor,
    record: M,
    changes: Mapping[str, Any],
    fields: tuple[str, ...],
    version: int | None = None,
    action: Action = Action.EDIT,
    audit_action: str = "update",
    note: str = "",
    then: Callable[[M], None] | None = None,
) -> M:
    """Apply `changes` to a record loaded at `version`; moving it to another scope needs the
    same right there. The caller's object is refreshed to the saved state."""
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    check(user, action, record)
    edited = copy(record)
    for name, value in changes.items():
        setattr(edited, name, value)
    check(user, action, edited)
    model = type(record)
    before = snapshot(record, fields)
    with transaction.atomic():
        if has_version(record):
            if version is None:
                raise ValueError("a versioned record needs the version the editor saw")
            updated = model._default_manager.filter(pk=record.pk, version=version).update(
                **changes, version=F("version") + 1
            )
            if not updated:
                current = model._default_manager.get(pk=record.pk)
                mine, theirs = snapshot(edited, fields), snapshot(current, fields)
                differ = {k: (mine[k], theirs[k]) for k in fields if mine[k] != theirs[k]}
                if not differ:
                    differ = {"version": (version, current.version)}  # type: ignore[attr-defined]
                raise EditConflict(differ, model)
            record.refresh_from_db()
        else:
            current = model._default_manager.select_for_update().get(pk=record.pk)
            before = snapshot(current, fields)
            for name, value in changes.items():
                setattr(current, name, value)
            current.save(update_fields=list(changes) or None)
            record.refresh_from_db()
        if then is not None:
            then(record)
        audit_record(
            actor=user,
            action=audit_action,
            record=record,
            before=before,
            after=snapshot(record, fields),
            note=note,
        )
        reindex_after_commit(record)
    return record


def delete(
    *,
    user: Actor,
    record: M,
    fields: tuple[str, ...],
    action: Action = Action.EDIT,
    audit_action: str = "delete",
    note: str = "",
) -> None:
    """Delete a record the user may change, keeping its last state in the audit log."""
    check(user, action, record)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=audit_action,
            record=record,
            before=snapshot(record, fields),
            note=note,
        )
        pk = record.pk
        record.delete()
        record.pk = pk
        reindex_after_commit(record, deleted=True)
