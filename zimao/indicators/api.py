from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from zimao.lib.schemas import Code, ErrorOut, Text

from .models import Indicator, NegativeList, Observation
from .selectors import indicator_list, observation_list

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name_zh: str
    name_en: str
    unit: str
    definition: str
    source: str


class ObservationOut(Schema):
    indicator: str
    subject_kind: str
    subject: str
    period: str
    value: Decimal
    unit: str
    zones_count: int | None
    preferred: bool
    flags: str
    source: str
    confidence: str

    @staticmethod
    def resolve_indicator(obj: Observation) -> str:
        return obj.indicator.code


class IndicatorDetailOut(IndicatorOut):
    observations: list[ObservationOut]

    @staticmethod
    def resolve_observations(obj: Indicator) -> list[Observation]:
        return list(observation_list(indicator=obj.code))


class NegativeListOut(Schema):
    code: str
    scope: str
    year: int
    issuer: str
    doc_no: str
    issue_date: str
    effective_date: str
    measures: int | None
    source: str


@router.get("/indicators", response=list[IndicatorOut])
@paginate
def list_indicators(request: object) -> object:
    return indicator_list()


@router.get("/indicators/{code}", response={200: IndicatorDetailOut, 404: ErrorOut})
def get_indicator(request: object, code: Code) -> Indicator:
    """One indicator with all its observations; conflicting sources appear side by side."""
    return get_object_or_404(Indicator, code=code)


@router.get("/observations", response=list[ObservationOut])
@paginate
def list_observations(
    request: object,
    indicator: Text = "",
    subject_kind: Text = "",
    subject: Text = "",
    preferred_only: bool = False,
) -> object:
    return observation_list(
        indicator=indicator,
        subject_kind=subject_kind,
        subject=subject,
        preferred_only=preferred_only,
    )


@router.get("/negative-lists", response=list[NegativeListOut])
@paginate
def list_negative_lists(request: object, scope: Text = "") -> object:
    lists = NegativeList.objects.all()
    return lists.filter(scope=scope) if scope else lists
