from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from zimao.lib.schemas import Code, ErrorOut, Id, Text

from .models import Area, Zone
from .selectors import area_list, area_tally, zone_list

router = Router(tags=["zones"])


class AreaOut(Schema):
    id: int
    zone: str
    name_zh: str
    name_en: str
    city: str
    area_km2: Decimal | None
    is_special: bool
    source: str

    @staticmethod
    def resolve_zone(obj: Area) -> str:
        return obj.zone.code


class PilotAreaOut(Schema):
    name_zh: str
    city: str
    kind: str
    established: str
    source: str


class PlanOut(Schema):
    kind: str
    title: str
    doc_no: str
    issue_date: str
    source: str


class ZoneOut(Schema):
    code: str
    name_zh: str
    short_name_zh: str
    name_en: str
    province: str
    batch: int
    approval_date: str
    inauguration_date: str
    planned_area_km2: Decimal | None
    plan_doc_no: str
    source: str
    confidence: str


class ZoneDetailOut(ZoneOut):
    positioning: str
    key_industries: list[str]
    area_count: int = Field(description="片区 as officially counted")
    area_rows: int = Field(description="rows in `areas` (plans may split or merge areas)")
    area_count_note: str = Field(description="how the rows differ from the official count")
    areas: list[AreaOut]

    @staticmethod
    def resolve_area_count(obj: Zone) -> int:
        return area_tally(Zone.objects.filter(pk=obj.pk)).official

    @staticmethod
    def resolve_area_rows(obj: Zone) -> int:
        return obj.areas.count()

    @staticmethod
    def resolve_area_count_note(obj: Zone) -> str:
        return area_tally(Zone.objects.filter(pk=obj.pk)).note

    pilot_areas: list[PilotAreaOut]
    plans: list[PlanOut]

    @staticmethod
    def resolve_key_industries(obj: Zone) -> list[str]:
        return obj.industries

    @staticmethod
    def resolve_areas(obj: Zone) -> list[Area]:
        return list(obj.areas.select_related("zone"))

    @staticmethod
    def resolve_pilot_areas(obj: Zone) -> list[object]:
        return list(obj.pilot_areas.all())

    @staticmethod
    def resolve_plans(obj: Zone) -> list[object]:
        return list(obj.plans.all())


@router.get("/zones", response=list[ZoneOut])
@paginate
def list_zones(
    request: object, batch: Annotated[int, Field(ge=1, le=10)] | None = None, province: Text = ""
) -> object:
    """List the pilot FTZs in order of approval, optionally one batch or province."""
    return zone_list(batch=batch, province=province)


@router.get("/zones/{code}", response={200: ZoneDetailOut, 404: ErrorOut})
def get_zone(request: object, code: Code) -> Zone:
    """One zone by its code (e.g. `shanghai`), with its areas, pilot areas and plans."""
    return get_object_or_404(Zone, code=code)


@router.get("/areas", response=list[AreaOut])
@paginate
def list_areas(request: object, zone: Text = "", special: bool | None = None) -> object:
    """List the areas (片区), optionally of one zone or only special areas."""
    return area_list(zone=zone, special=special)


@router.get("/areas/{area_id}", response={200: AreaOut, 404: ErrorOut})
def get_area(request: object, area_id: Id) -> Area:
    return get_object_or_404(Area.objects.select_related("zone"), id=area_id)
