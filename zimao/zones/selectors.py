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


def official_area_tally(zones: QuerySet[Zone] | None = None) -> int:
    """Count 片区 the way official figures do (67 for the 21 zones of 2021).

    The area rows do not map one to one onto the official count: Shanghai's four customs
    special supervision areas are one row with `official_count` 4, and Zhejiang's three
    Zhoushan rows of the 2017 plan share the `official_group` 舟山片区, counted once, as
    since the 2020 expansion. Rows in the same group count once per zone.
    """
    areas = Area.objects.all() if zones is None else Area.objects.filter(zone__in=zones)
    total = 0
    groups: set[tuple[int, str]] = set()
    for area in areas.only("zone_id", "official_count", "official_group"):
        if area.official_group:
            groups.add((area.zone_id, area.official_group))
        else:
            total += area.official_count
    return total + len(groups)
