from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zimao.lib.schemas import Code, ErrorOut, Text, Year
from zimao.zones.models import Zone

from .models import Adoption, ReplicationBatch, ReplicationItem
from .selectors import ItemFilters, batch_list, item_list, zone_progress

router = Router(tags=["replication"])


class BatchOut(Schema):
    code: str
    kind: str
    number: int | None
    year: int | None
    issue_date: str
    doc_no: str
    issuer: str
    title: str
    item_count: int | None
    listed_items: int
    source: str
    confidence: str

    @staticmethod
    def resolve_listed_items(obj: ReplicationBatch) -> int:
        return getattr(obj, "listed_items", None) or obj.items.count()


class CountOut(Schema):
    item_count: int
    preferred: bool
    source: str


class BatchDetailOut(BatchOut):
    counts: list[CountOut]

    @staticmethod
    def resolve_counts(obj: ReplicationBatch) -> list[object]:
        return list(obj.counts.all())


class ItemOut(Schema):
    code: str
    batch: str
    seq: int
    title: str
    category_zh: str
    domain: str | None
    responsible_unit: str
    scope_kind: str
    scope: str
    source: str

    @staticmethod
    def resolve_batch(obj: ReplicationItem) -> str:
        return obj.batch.code

    @staticmethod
    def resolve_domain(obj: ReplicationItem) -> str | None:
        return obj.domain.code if obj.domain else None


class ItemQuery(Schema):
    batch: Text = ""
    domain: Text = ""
    scope_kind: Text = ""
    responsible_unit: Text = ""
    zone: Text = ""
    q: Text = ""


@router.get("/batches", response=list[BatchOut])
@paginate
def list_batches(request: object, kind: Text = "", year: Year | None = None) -> object:
    """List replication batches (State Council experiences, best-practice cases, …)."""
    return batch_list(kind=kind, year=year)


@router.get("/batches/{code}", response={200: BatchDetailOut, 404: ErrorOut})
def get_batch(request: object, code: Code) -> ReplicationBatch:
    """One batch by code (e.g. `sc-5`) with every sourced count of its items."""
    return get_object_or_404(ReplicationBatch, code=code)


@router.get("/items", response=list[ItemOut])
@paginate
def list_items(request: object, filters: Query[ItemQuery]) -> object:
    """List replication items; filter by batch, domain, scope kind, responsible unit or text."""
    return item_list(ItemFilters(**filters.dict()))


@router.get("/items/{code}", response={200: ItemOut, 404: ErrorOut})
def get_item(request: object, code: Code) -> ReplicationItem:
    return get_object_or_404(ReplicationItem.objects.select_related("batch", "domain"), code=code)


class AdoptionOut(Schema):
    item: str
    zone: str
    area: str | None
    status: str
    date: str
    evidence: str

    @staticmethod
    def resolve_item(obj: Adoption) -> str:
        return obj.item.code

    @staticmethod
    def resolve_zone(obj: Adoption) -> str:
        return obj.zone.code

    @staticmethod
    def resolve_area(obj: Adoption) -> str | None:
        return obj.area.name_zh if obj.area else None


class ProgressOut(Schema):
    zone: str
    expected: int
    adopted: int
    in_progress: int


@router.get("/adoptions", response=list[AdoptionOut])
@paginate
def list_adoptions(request: object, item: Text = "", zone: Text = "", status: Text = "") -> object:
    """Which zones (and areas) have put which replication items in place."""
    adoptions = Adoption.objects.select_related("item", "zone", "area")
    if item:
        adoptions = adoptions.filter(item__code=item)
    if zone:
        adoptions = adoptions.filter(zone__code=zone)
    if status:
        adoptions = adoptions.filter(status=status)
    return adoptions


@router.get("/zones/{code}/progress", response={200: ProgressOut, 404: ErrorOut})
def get_progress(request: object, code: Code, batch: Text = "") -> object:
    """Of the N items the zone was asked to replicate (optionally of one batch), M are in place."""
    zone = get_object_or_404(Zone, code=code)
    return zone_progress(zone.code, zone.province, batch)
