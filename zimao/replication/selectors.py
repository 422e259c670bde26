"""Read-side queries for replication batches and items."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import ReplicationBatch, ReplicationItem


@dataclass(frozen=True)
class ItemFilters:
    batch: str = ""
    domain: str = ""
    scope_kind: str = ""
    responsible_unit: str = ""
    zone: str = ""
    q: str = ""


def batch_list(*, kind: str = "", year: int | None = None) -> QuerySet[ReplicationBatch]:
    batches = ReplicationBatch.objects.annotate(listed_items=Count("items"))
    if kind:
        batches = batches.filter(kind=kind)
    if year is not None:
        batches = batches.filter(year=year)
    return batches.order_by("kind", "number", "year", "code")


def item_list(filters: ItemFilters) -> QuerySet[ReplicationItem]:
    items = ReplicationItem.objects.select_related("batch", "domain")
    if filters.batch:
        items = items.filter(batch__code=filters.batch)
    if filters.domain:
        items = items.filter(domain__code=filters.domain)
    if filters.scope_kind:
        items = items.filter(scope_kind=filters.scope_kind)
    if filters.responsible_unit:
        items = items.filter(responsible_unit__contains=filters.responsible_unit)
    if filters.zone:
        items = items.filter(origin_zones__code=filters.zone)
    if filters.q:
        items = items.filter(Q(title__contains=filters.q) | Q(scope__contains=filters.q))
    # The order of the official appendix tables: by domain, then the table's own numbering.
    return items.order_by("batch__year", "domain_id", "seq", "code")


def responsible_units() -> list[str]:
    """Return each distinct responsible unit once, for the filter drop-down."""
    units: set[str] = set()
    for value in ReplicationItem.objects.values_list("responsible_unit", flat=True):
        units.update(u.strip() for u in value.replace("，", "、").split("、") if u.strip())
    return sorted(units)
