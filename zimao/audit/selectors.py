"""Reads of the audit trail."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    user: str = ""
    record_type: str = ""
    record_id: str = ""
    since: date | None = None
    until: date | None = None


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
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


def record_types() -> list[str]:
    return sorted(set(AuditEvent.objects.values_list("record_type", flat=True)))
