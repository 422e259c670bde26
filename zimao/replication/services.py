"""Writes for replication adoption: permission check, optimistic lock, audit."""

from django.db import transaction
from django.db.models import F

from zimao.accounts.permissions import Action, RecordScope, check
from zimao.audit.services import Actor, audit_record
from zimao.reforms.services import EditConflict
from zimao.zones.models import Area, Zone

from .models import Adoption, ReplicationItem


def adoption_set(
    *,
    user: Actor,
    item: ReplicationItem,
    zone: Zone,
    status: str,
    area: Area | None = None,
    date: str = "",
    evidence: str = "",
    version: int | None = None,
) -> Adoption:
    """Record where a zone stands on an item; `version` guards against overwriting a
    colleague's newer entry (None when creating)."""
    check(user, Action.EDIT, RecordScope(zone.code, zone.province, area.pk if area else None))
    values = {"status": status, "date": date, "evidence": evidence}
    with transaction.atomic():
        current = (
            Adoption.objects.select_for_update().filter(item=item, zone=zone, area=area).first()
        )
        if current is None:
            adoption = Adoption.objects.create(item=item, zone=zone, area=area, **values)
            audit_record(actor=user, action="create", record=adoption, after=values)
            return adoption
        if version is not None and version != current.version:
            theirs = {k: getattr(current, k) for k in values}
            raise EditConflict(
                {k: (values[k], theirs[k]) for k in values if values[k] != theirs[k]}
            )
        before = {k: getattr(current, k) for k in values}
        Adoption.objects.filter(pk=current.pk).update(**values, version=F("version") + 1)
        current.refresh_from_db()
        audit_record(actor=user, action="update", record=current, before=before, after=values)
        return current
