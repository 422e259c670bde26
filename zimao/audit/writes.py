"""The one write path: check → versioned update (or row lock) → audit before/after → re-index
after commit. Every service write in every app goes through `create`, `update` or `delete`.

A record with a `version` field is updated with `UPDATE … WHERE version = <the version the
editor saw>`: a stale edit changes nothing and raises `EditConflict` with what changed. A record
without one is locked (`SELECT … FOR UPDATE`) for the length of the write.

What follows the commit (`record_changed`: the search index, the page cache) can never turn a
committed write into an error: the write leaves a `PendingChange` in its own transaction, the
work after the commit removes it when it succeeds, and a failure is logged and retried later
(`retry_pending`).
"""

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from copy import copy
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, allowed, check
from zimao.lib import pagecache
from zimao.lib.signals import record_changed

from .models import AuditEvent, PendingChange
from .services import acting_user, audit_record, plain

logger = logging.getLogger(__name__)

atomic = transaction.atomic
__all__ = [
    "EditConflict",
    "admin_delete",
    "admin_save",
    "atomic",
    "check",
    "check_allowed",
    "create",
    "delete",
    "reindex_after_commit",
    "retry_pending",
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
    values: dict[str, Any] = {}
    for name in fields:
        field = record._meta.get_field(name)
        if field.many_to_many:  # the related ids, sorted (none before the first save)
            manager = getattr(record, name)
            values[name] = sorted(manager.values_list("pk", flat=True)) if record.pk else []
            continue
        attribute = field.attname if isinstance(field, models.Field) else name
        values[name] = plain(getattr(record, attribute))
    return values


def has_version(record: models.Model | type[models.Model]) -> bool:
    return any(f.name == "version" for f in record._meta.concrete_fields)


# How long the work after a commit waits for a database lock before it leaves the change for a
# retry: the writer's answer must not wait for a long reindex batch or another slow writer.
AFTER_COMMIT_LOCK_WAIT_MS = 2000
# A pending change older than this is no longer in flight: its process failed or died.
STUCK_AFTER = timedelta(seconds=30)


def reindex_after_commit(record: models.Model, deleted: bool = False) -> None:
    """Inside the write's transaction: note the change, and run `record_changed` once it commits."""
    state = _own_fields(record) if deleted else None
    pending = PendingChange.objects.create(
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        deleted=deleted,
        state=state,
    )
    transaction.on_commit(partial(_after_commit, pending.pk, record, deleted))


def changed_in_bulk(records: Iterable[models.Model]) -> None:
    """After a bulk load committed (reference data, open data): the index and the page cache
    follow, in one transaction, as they do after each service write."""
    with transaction.atomic():
        for record in records:
            record_changed.send(sender=type(record), record=record, deleted=False)
    pagecache.bump()


def _own_fields(record: models.Model) -> dict[str, Any]:
    """A deleted record's keys (primary and unique fields): what its stand-in needs, and
    nothing more (no password hash or text kept in the queue)."""
    keys = [f for f in record._meta.concrete_fields if f.primary_key or f.unique]
    return {f.attname: plain(getattr(record, f.attname)) for f in keys}


def _after_commit(pending_id: int, record: models.Model, deleted: bool) -> None:
    """Run the work that follows a commit; on failure log it and leave the change queued."""
    if not _run(pending_id, record, deleted):
        return
    try:
        retry_pending(stuck_only=True)
    except Exception:  # a retry is best effort; the changes stay queued
        logger.warning("retrying earlier changes failed", exc_info=True)


def _run(pending_id: int, record: models.Model, deleted: bool) -> bool:
    """The receivers run outside any transaction of ours, each writing in its own short one:
    what they read and compute first (the search index reads the record and tokenises it)
    holds no write lock, which every other writer would wait for. Each of their lock waits
    is bounded; a failure leaves the change queued (the receivers are idempotent)."""
    label = record._meta.label_lower
    try:
        with _bounded_lock_wait(), _bounded_row_lock_wait(), ExitStack() as stack:
            if connection.in_atomic_block:  # called inside a caller's transaction: a savepoint
                stack.enter_context(transaction.atomic())
            record_changed.send(sender=type(record), record=record, deleted=deleted)
            with transaction.atomic():
                PendingChange.objects.filter(pk=pending_id).delete()
    except Exception as exc:
        logger.warning(
            "after-commit work for %s#%s failed; queued for retry",
            label,
            record.pk,
            exc_info=True,
            extra={"record_type": label, "record_id": str(record.pk)},
        )
        _note_failure(pending_id, exc)
        _stale_pages(type(record))  # the data changed, whatever happened to the index
        return False
    return True


def _stale_pages(model: type[models.Model]) -> None:
    try:
        pagecache.changed(model)
    except Exception:
        logger.warning("page cache invalidation failed", exc_info=True)


def _note_failure(pending_id: int, exc: Exception) -> None:
    try:
        with _bounded_lock_wait(100):  # still locked: the change stays queued as it is
            PendingChange.objects.filter(pk=pending_id).update(
                attempts=F("attempts") + 1, error=f"{type(exc).__name__}: {exc}"[:2000]
            )
    except Exception:  # the database is still busy: the change stays queued as it was
        logger.debug("could not note the failure of pending change %s", pending_id)


@contextmanager
def _bounded_lock_wait(ms: int = AFTER_COMMIT_LOCK_WAIT_MS) -> Iterator[None]:
    """On SQLite, wait at most `ms` for the write lock (taken at BEGIN)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(ms)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(settings.SQLITE_BUSY_TIMEOUT_MS)}")


@contextmanager
def _bounded_row_lock_wait() -> Iterator[None]:
    """On PostgreSQL, row locks are waited for inside transactions: bound those waits."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{int(AFTER_COMMIT_LOCK_WAIT_MS)}ms'")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        except Exception:  # a broken connection is closed and opened afresh, without it
            logger.debug("could not reset lock_timeout", exc_info=True)


def retry_pending(*, stuck_only: bool = False, limit: int | None = None) -> int:
    """Run the after-commit work of changes left queued; return how many succeeded.
    `stuck_only`: only those that failed or are no longer in flight (not a concurrent
    writer's change about to run)."""
    queued = PendingChange.objects.order_by("id")
    if stuck_only:
        queued = queued.filter(Q(attempts__gt=0) | Q(created_at__lt=timezone.now() - STUCK_AFTER))
    done = 0
    for pending in list(queued[:limit] if limit else queued):
        try:
            model = apps.get_model(pending.record_type)
        except LookupError:
            PendingChange.objects.filter(pk=pending.pk).delete()
            continue
        if pending.deleted:
            record = model(**(pending.state or {"pk": pending.record_id}))
        else:
            found = model._default_manager.filter(pk=pending.record_id).first()
            if found is None:  # deleted since: that delete has its own pending change
                PendingChange.objects.filter(pk=pending.pk).delete()
                continue
            record = found
        done += _run(pending.pk, record, pending.deleted)
    return done


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
    model = type(record)
    # Many-to-many changes (a task's responsible units) are set after the row is saved.
    related = {k: v for k, v in changes.items() if model._meta.get_field(k).many_to_many}
    changes = {k: v for k, v in changes.items() if k not in related}
    edited = copy(record)
    for name, value in changes.items():
        setattr(edited, name, value)
    check(user, action, edited)
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
        for name, value in related.items():
            getattr(record, name).set(value)
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


def admin_save(
    *,
    user: Actor,
    record: models.Model,
    created: bool,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    version: int | None = None,
    children: Iterable[tuple[str, models.Model, Any, Any]] = (),
) -> None:
    """A save the Django admin made, inside its transaction (its own permission check passed):
    the version the editor saw becomes the next one (a stale form is a conflict, as in
    `update`), the change and each inline change (`children`: action, record, before, after)
    are audited, and the index and page cache follow after the commit like any write."""
    model = type(record)
    after = dict(after)
    with transaction.atomic():
        if not created and has_version(record):
            if version is None:
                raise ValueError("a versioned record needs the version the editor saw")
            claimed = model._default_manager.filter(pk=record.pk, version=version).update(
                version=F("version") + 1
            )
            if not claimed:
                current = model._default_manager.filter(pk=record.pk).values_list(
                    "version", flat=True
                )
                raise EditConflict({"version": (version, current.first())}, model)
            record.version = version + 1  # type: ignore[attr-defined]
            after["version"] = record.version  # type: ignore[attr-defined]
        audit_record(
            actor=user,
            action="admin_add" if created else "admin_change",
            record=record,
            before=before,
            after=after,
        )
        for action, child, child_before, child_after in children:
            audit_record(
                actor=user, action=action, record=child, before=child_before, after=child_after
            )
            reindex_after_commit(child, deleted=action == "admin_delete")
        reindex_after_commit(record)


def admin_delete(*, user: Actor, record: models.Model, before: Mapping[str, Any]) -> None:
    """Before the Django admin deletes a record (inside its transaction): audited, and once the
    delete commits its entries leave the index and the pages showing it the cache."""
    with transaction.atomic():
        audit_record(actor=user, action="admin_delete", record=record, before=before)
        reindex_after_commit(record, deleted=True)
