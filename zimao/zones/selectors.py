"""Read-side queries for zones, shared by the pages and the API."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from .models import Area, Zone


def zone_list(*, batch: int | None = None, province: str = "") -> QuerySet[Zone]:
    zones = Zone.objects.annotate(
        area_count=Count("areas", distinct=True),
        pilot_area_count=Count("pilot_areas", distinct=True),
    )
    if batch is not None:
        zones = zones.filter(batch=batch)
    if province:
        zones = zones.filter(province=province)
    return zones.order_by("batch", "approval_date", "id")


def area_list(*, zone: str = "", special: bool | None = None) -> QuerySet[Area]:
    areas = Area.objects.select_related("zone")
    if zone:
        areas = areas.filter(zone__code=zone)
    if special is not None:
        areas = areas.filter(is_special=special)
    return areas.order_by("zone__batch", "zone__id", "id")


@dataclass
class BatchGroup:
    batch: int
    year: str
    zones: list[Zone] = field(default_factory=list)


def zones_by_batch() -> list[BatchGroup]:
    """Return the establishment batches in order, each with its year and zones (timeline)."""
    groups: dict[int, BatchGroup] = {}
    for zone in Zone.objects.order_by("batch", "approval_date", "id"):
        group = groups.setdefault(zone.batch, BatchGroup(zone.batch, zone.approval_date[:4]))
        group.zones.append(zone)
    return list(groups.values())
