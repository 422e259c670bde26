"""The alignment measures over the API: the batches' measures and the coverage matrix."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from zimao.lib.schemas import ErrorOut, Text

from .models import AlignmentMeasure, Batch
from .selectors import batches, default_batch, matrix, measures

router = Router(tags=["alignment"])
FIELDS = set(AlignmentMeasure.Field.values)


class ZoneStatusOut(Schema):
    """A zone that must carry the measure out (zones that need not are left out)."""

    zone: str
    status: str  # the task's status, or "unassigned" before the task is made
    task_id: int | None


class AlignmentMeasureOut(Schema):
    batch: str
    code: str
    number: int | None
    field: str
    title: str
    provisions: str
    zones: list[ZoneStatusOut]
    implemented: int
    applicable: int
    confirmed: bool
    zones_confirmed: bool
    source: str


class ZoneTotalOut(Schema):
    zone: str
    implemented: int
    applicable: int


class MatrixOut(Schema):
    batch: str
    title: str
    status: str
    published_total: int | None
    loaded: int
    measures: list[AlignmentMeasureOut]
    zones: list[ZoneTotalOut]
    implemented: int
    applicable: int


def _batch(request: HttpRequest, code: str) -> Batch:
    found = batches(request.user)
    if code:
        return get_object_or_404(found, code=code)
    latest = default_batch(request.user)
    if latest is None:
        raise HttpError(404, "尚未载入对接措施")
    return latest


@router.get("/alignment/matrix", response={200: MatrixOut, 404: ErrorOut, 422: ErrorOut})
def alignment_matrix(
    request: HttpRequest, batch: Text = "", field: Text = "", zone: Text = ""
) -> object:
    """Measures × zones of a batch (default: the one with the most measures): each zone's task
    status, with implemented ÷ applicable per measure, per zone and overall."""
    found = _batch(request, batch)
    if field and field not in FIELDS:
        raise HttpError(422, f"没有该领域：{field}；可选：{'、'.join(sorted(FIELDS))}")
    if zone and not found.measure_set.filter(zones__code=zone).exists():
        raise HttpError(422, f"该自贸试验区不承担本批措施：{zone}")
    chosen = list(measures(request.user, found, field=field, zone=zone))
    table = matrix(request.user, chosen)
    rows = [
        {
            "batch": found.code, "code": m.code, "number": m.number, "field": m.field,
            "title": m.title, "provisions": m.provisions,
            "zones": [{"zone": c.zone.code, "status": c.status, "task_id": c.task_id}
                      for c in cells if c.status],
            "implemented": tally.implemented, "applicable": tally.applicable,
            "confirmed": m.confirmed, "zones_confirmed": m.zones_confirmed, "source": m.source,
        }
        for m, cells, tally in table.rows
    ]  # fmt: skip
    return {
        "batch": found.code, "title": found.title, "status": found.status,
        "published_total": found.measures, "loaded": found.measure_set.count(),
        "measures": rows,
        "zones": [{"zone": z.code, "implemented": t.implemented, "applicable": t.applicable}
                  for z, t in zip(table.zones, table.columns, strict=True)],
        "implemented": table.total.implemented, "applicable": table.total.applicable,
    }  # fmt: skip
