"""Reads of the audit trail."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from zimao.accounts.access import (
    Action,
    Actor,
    _membership_q,
    is_all_powerful,
    memberships_of,
    rules_of,
    visible,
)

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    user: str = ""
    record_type: str = ""
    record_id: str = ""
    since: date | None = None
    until: date | None = None


def audit_events(filters: AuditFilters, *, user: Actor) -> QuerySet[AuditEvent]:
    """Events of the records inside the user's scopes, newest first."""
    events = visible(user, AuditEvent.objects.select_related("actor"))
    events = events.filter(narrower_records_q(user))
    if filters.user:
        events = events.filter(actor__username=filters.user)
    if filters.record_type:
        events = events.filter(record_type=filters.record_type)
    if filters.record_id:
        events = events.filter(record_id=filters.record_id)
    zone = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(at__gte=datetime.combine(filters.since, time.min, zone))
    if filters.until:
        events = events.filter(at__lte=datetime.combine(filters.until, time.max, zone))
    return events.order_by("-at", "-id")


def record_types() -> list[tuple[str, str]]:
    """(label_lower, readable name) of every model that can appear in the log: read from the
    app registry, not from the events table (which grows without bound)."""
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "documents", "reforms", "replication", "zones", "indicators"}
    )


def narrower_records_q(user: Actor) -> Q:
    """Events of records whose own rules are narrower than the log's, filtered like those
    records: personal records (saved searches) and records started by someone (jobs) only
    where the record itself is visible; records only some roles may read (score sheets, for
    the deciders) only for those roles, within the event's scope."""
    if is_all_powerful(user):
        return Q()
    log = rules_of(AuditEvent)
    condition = Q()
    for model in apps.get_models():
        try:
            rules = rules_of(model)
        except TypeError:
            continue
        label = model._meta.label_lower
        if rules.owner is not None or rules.creator is not None:
            ids = visible(user, model._default_manager.all()).annotate(
                audit_id=Cast("pk", CharField())
            )
            condition &= ~Q(record_type=label) | Q(record_id__in=ids.values("audit_id"))
            continue
        roles = rules.roles_for(Action.VIEW)
        if roles >= log.roles_for(Action.VIEW):
            continue
        narrowed = replace(log, roles={Action.VIEW: roles})
        allowed = Q(pk__in=[])
        for membership in memberships_of(user):
            covered = _membership_q(membership, narrowed, Action.VIEW)
            if covered is None:  # a national role among the readers: every event of the type
                break
            allowed |= covered
        else:
            condition &= ~Q(record_type=label) | allowed
    return condition
