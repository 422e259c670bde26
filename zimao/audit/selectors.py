"""Reads of the audit trail."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from zimao.accounts.access import Actor, visible

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
