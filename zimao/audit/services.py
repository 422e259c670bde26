from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from zimao.accounts.models import User

from .models import AuditEvent

Actor = User | AnonymousUser | None


def acting_user(actor: Actor) -> User | None:
    """Return the signed-in user, or None for scripts and anonymous requests."""
    return actor if isinstance(actor, User) else None


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
    return AuditEvent.objects.create(
        actor=acting_user(actor),
        action=action,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        before=before,
        after=after,
        note=note,
    )
