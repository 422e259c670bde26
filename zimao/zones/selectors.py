"""Read-side queries for zones, shared by the pages and the API."""

from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class AreaTally:
    """片区 as officially counted, beside the rows this registry keeps, and why they differ."""

    official: int
    rows: int
    differences: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        if not self.differences:
            return ""
        return (
            f"官方口径 {self.official} 个片区；本库按方案记录 {self.rows} 条片区信息："
            + "；".join(self.differences)
            + "。"
        )


def area_tally(zones: QuerySet[Zone] | None = None) -> AreaTally:
    """The official 片区 count of the given zones (all by default) with the row count and the
    rows that are counted differently, in words, for wherever a count is shown."""
    areas = list(
        (Area.objects.all() if zones is None else Area.objects.filter(zone__in=zones))
        .select_related("zone")
        .order_by("zone__batch", "zone_id", "id")
    )
    differences = []
    groups: dict[tuple[int, str], list[str]] = {}
    for area in areas:
        if area.official_group:
            groups.setdefault((area.zone_id, area.official_group), []).append(area.name_zh)
        elif area.official_count != 1:
            differences.append(f"“{area.name_zh}”一条计为 {area.official_count} 个")
    for (_zone, group), names in groups.items():
        if len(names) > 1:
            quoted = "、".join(f"“{n}”" for n in names)
            differences.append(f"{quoted} {len(names)} 条合为官方的“{group}”1 个")
    return AreaTally(official_area_tally(zones), len(areas), differences)


def official_area_counts() -> dict[int, int]:
    """Zone id -> its official 片区 count (for lists of zones)."""
    counts: dict[int, int] = {}
    groups: set[tuple[int, str]] = set()
    for area in Area.objects.only("zone_id", "official_count", "official_group"):
        if area.official_group:
            if (area.zone_id, area.official_group) not in groups:
                groups.add((area.zone_id, area.official_group))
                counts[area.zone_id] = counts.get(area.zone_id, 0) + 1
        else:
            counts[area.zone_id] = counts.get(area.zone_id, 0) + area.official_count
    return counts


@dataclass
class FigureGroup:
    """The values of one indicator for one year on a zone page: the zone's own, its areas',
    its pilot areas' and its province's, preferred first, each with its subject and period."""

    indicator: Any
    year: str
    observations: list[Any]

    @property
    def conflicting(self) -> bool:
        """Several sources for the same subject and period: kept side by side, one preferred."""
        keys = [(o.subject_kind, o.subject, o.period) for o in self.observations]
        return len(keys) != len(set(keys)) or any(not o.preferred for o in self.observations)


def zone_figures(zone: Zone) -> list[FigureGroup]:
    """Every figure about the zone, its areas and pilot areas, and its province's figures for
    the same indicators, grouped by indicator and year so conflicting values sit together."""
    from django.db.models import Q

    from zimao.indicators.models import Observation

    rows = list(
        Observation.objects.select_related("indicator")
        .filter(Q(zone=zone) | Q(subject_kind="province", subject=zone.province))
        .order_by("indicator__code", "period", "-preferred", "id")
    )
    own = {o.indicator_id for o in rows if o.zone_id == zone.pk}
    groups: dict[tuple[int, str], FigureGroup] = {}
    for o in rows:
        if o.zone_id != zone.pk and o.indicator_id not in own:
            continue  # a province figure is shown beside the zone's own, not alone
        key = (o.indicator_id, o.period[:4])
        groups.setdefault(key, FigureGroup(o.indicator, o.period[:4], [])).observations.append(o)
    for group in groups.values():
        group.observations.sort(key=lambda o: (o.subject_kind != "zone", not o.preferred))
    return list(groups.values())
