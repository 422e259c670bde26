from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zimao.lib.schemas import ErrorOut

from .models import ReplicationBatch, ReplicationItem
from .selectors import ItemFilters, batch_list, item_list

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
    batch: str = ""
    domain: str = ""
    scope_kind: str = ""
    responsible_unit: str = ""
    zone: str = ""
    q: str = ""


@router.get("/batches", response=list[BatchOut])
@paginate
def list_batches(request: object, kind: str = "", year: int | None = None) -> object:
    """List replication batches (State Council experiences, best-practice cases, …)."""
    return batch_list(kind=kind, year=year)


@router.get("/batches/{code}", response={200: BatchDetailOut, 404: ErrorOut})
def get_batch(request: object, code: str) -> ReplicationBatch:
    """One batch by code (e.g. `sc-5`) with every sourced count of its items."""
    return get_object_or_404(ReplicationBatch, code=code)


@router.get("/items", response=list[ItemOut])
@paginate
def list_items(request: object, filters: Query[ItemQuery]) -> object:
    """List replication items; filter by batch, domain, scope kind, responsible unit or text."""
    return item_list(ItemFilters(**filters.dict()))


@router.get("/items/{code}", response={200: ItemOut, 404: ErrorOut})
def get_item(request: object, code: str) -> ReplicationItem:
    return get_object_or_404(ReplicationItem.objects.select_related("batch", "domain"), code=code)
