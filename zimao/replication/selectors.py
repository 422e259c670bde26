"""Read-side queries for replication batches and items."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from zimao.zones.models import Zone

from .models import Adoption, ReplicationBatch, ReplicationItem


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


def items_expected_of(zone_code: str, province: str) -> QuerySet[ReplicationItem]:
    """Items a zone was asked to replicate: nationwide, FTZ-wide, or naming its province."""
    short = _short_province(province)
    return ReplicationItem.objects.filter(
        Q(scope_kind__in=["nationwide", "ftz"]) | Q(scope_kind="provinces", scope__contains=short)
    )


@dataclass(frozen=True)
class Progress:
    zone: str
    expected: int
    adopted: int
    in_progress: int


def zone_progress(zone_code: str, province: str, batch: str = "") -> Progress:
    """Of the N items a zone was asked to replicate (optionally of one batch), M are in place."""
    expected = items_expected_of(zone_code, province)
    if batch:
        expected = expected.filter(batch__code=batch)
    adoptions = Adoption.objects.filter(zone__code=zone_code, area=None, item__in=expected)
    counts = adoptions.aggregate(
        adopted=Count("id", filter=Q(status="adopted")),
        in_progress=Count("id", filter=Q(status="in_progress")),
    )
    return Progress(zone_code, expected.count(), counts["adopted"], counts["in_progress"])


def all_zone_progress(zones: list[Zone], batch: str = "") -> list[Progress]:
    """zone_progress for many zones in three queries, whatever their number: the items in
    scope once, the adoptions grouped by zone and status once."""
    items = ReplicationItem.objects.all()
    if batch:
        items = items.filter(batch__code=batch)
    scoped = list(items.values_list("id", "scope_kind", "scope"))
    by_zone: dict[int, list[tuple[int, str]]] = {}
    adoptions = Adoption.objects.filter(area=None, item__in=items)
    for zone_id, item_id, status in adoptions.values_list("zone_id", "item_id", "status"):
        by_zone.setdefault(zone_id, []).append((item_id, status))
    out = []
    for zone in zones:
        short = zone.province.removesuffix("省").removesuffix("市").removesuffix("自治区")[:2]
        expected = {
            pk
            for pk, kind, scope in scoped
            if kind in ("nationwide", "ftz") or (kind == "provinces" and short in scope)
        }
        mine = [(item, status) for item, status in by_zone.get(zone.pk, []) if item in expected]
        out.append(
            Progress(
                zone.code,
                len(expected),
                sum(status == "adopted" for _, status in mine),
                sum(status == "in_progress" for _, status in mine),
            )
        )
    return out


def coverage(filters: ItemFilters) -> tuple[list[ReplicationItem], dict[tuple[int, int], str]]:
    """Items (filtered) and the status of each (item, zone) pair that has one."""
    items = list(item_list(filters))
    statuses = {
        (a.item_id, a.zone_id): a.status for a in Adoption.objects.filter(item__in=items, area=None)
    }
    return items, statuses


def _short_province(province: str) -> str:
    return province.removesuffix("省").removesuffix("市").removesuffix("自治区")[:2]


def progress_by_zone(zones: list[Zone]) -> dict[str, Progress]:
    """zone_progress for many zones in a fixed number of queries (the workbench's league
    table): items asked of every zone are counted once, provincial items are matched by name."""
    common = ReplicationItem.objects.filter(scope_kind__in=["nationwide", "ftz"])
    common_count = common.count()
    provincial = list(
        ReplicationItem.objects.filter(scope_kind="provinces").values_list("pk", "scope")
    )
    codes = [z.code for z in zones]
    done = Adoption.objects.filter(
        area=None, zone__code__in=codes, status__in=["adopted", "in_progress"]
    )
    by_zone: dict[str, dict[str, set[int]]] = {
        c: {"adopted": set(), "in_progress": set()} for c in codes
    }
    for code, item, status in done.values_list("zone__code", "item_id", "status"):
        by_zone[code][status].add(item)
    common_ids = set(common.filter(adoptions__zone__code__in=codes).values_list("pk", flat=True))
    out = {}
    for zone in zones:
        short = _short_province(zone.province)
        own = {pk for pk, scope in provincial if short and short in scope}
        expected = common_ids | own
        states = by_zone[zone.code]
        out[zone.code] = Progress(
            zone.code,
            common_count + len(own),
            len(states["adopted"] & expected),
            len(states["in_progress"] & expected),
        )
    return out
