from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from zimao.lib.schemas import NO_NUL, Code, ErrorOut, Text, Year

from .benchmarking import benchmark, chart_data, parse_peers, peers_by_rule, subjects_of_kind
from .index import IndexDefinition, compute_index, result_as_data
from .models import IndexVersion, Indicator, NegativeList, Observation
from .provenance import mark_sample_charts
from .selectors import indicator_list, observation_list
from .subjects import SubjectError, subject_from_ref

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
    value: Decimal | None
    unit: str
    original_value: Decimal | None
    original_unit: str
    exchange_rate: Decimal | None
    exchange_rate_source: str
    zones_count: int | None
    preferred: bool
    preferred_reason: str
    flags: str
    source: str
    confidence: str
    provenance: str
    is_sample: bool

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


class CellOut(Schema):
    subject: str
    value: Decimal | None
    unit: str
    observation: int | None
    source: str
    growth_pct: Decimal | None
    is_sample: bool
    is_computed: bool = False  # computed from the platform's demand records, not a statistic
    growth_note: str = ""  # the exchange-rate effect, when growth is in the currency reported


class BenchmarkRowOut(Schema):
    indicator: str
    name: str
    unit: str
    cells: list[CellOut]


class BenchmarkOut(Schema):
    subject: str
    peers: list[str]
    year: int
    rows: list[BenchmarkRowOut]
    gaps: list[str]
    charts: dict[str, object]
    uses_sample: bool


class BenchmarkQuery(Schema):
    subject: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    peers: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""
    rule: Literal["manual", "same_batch", "top_n"] = "manual"
    indicator: Code = ""
    n: Annotated[int, Field(ge=1, le=50)] = 3
    year: Year = 2023


# A subject, peer or rule that finds nothing is a 404 (the request was well formed); a
# malformed one is refused by the schema (422).
@router.get("/benchmark", response={200: BenchmarkOut, 404: ErrorOut, 422: ErrorOut})
def get_benchmark(request: HttpRequest, query: Query[BenchmarkQuery]) -> dict[str, object]:
    """One subject against peers (`peers` comma-separated, or `rule` same_batch / top_n with
    `indicator` and `n`): side-by-side values with their observations, gaps in words, chart data."""
    try:
        subject = subject_from_ref(query.subject)
        if query.rule == "manual":
            peers = parse_peers(query.peers)
        else:
            peers = peers_by_rule(
                subject, query.rule, indicator=query.indicator, year=query.year, n=query.n
            )
    except SubjectError as exc:
        raise HttpError(404, str(exc)) from exc
    result = benchmark(subject, [p for p in peers if p.ref != subject.ref], query.year)
    rows = []
    for indicator in result.indicators:
        cells = []
        for s in result.subjects:
            cell = result.cells[indicator.code].get(s.ref)
            growth = result.growth.get(indicator.code, {}).get(s.ref)
            cells.append(
                {
                    "subject": s.ref,
                    "value": cell.value if cell else None,
                    "unit": cell.unit if cell else indicator.unit,
                    "observation": cell.observation_id if cell else None,
                    "source": cell.source if cell else "",
                    "growth_pct": growth.value if growth else None,
                    "is_sample": cell.is_sample if cell else False,
                    "is_computed": cell.is_computed if cell else False,
                    "growth_note": growth.fx_note if growth else "",
                }
            )
        rows.append(
            {
                "indicator": indicator.code,
                "name": indicator.name_zh,
                "unit": indicator.unit,
                "cells": cells,
            }
        )
    return {
        "subject": subject.ref,
        "peers": [p.ref for p in result.peers],
        "year": result.year,
        "rows": rows,
        "gaps": [g.text for g in result.gaps],
        "charts": mark_sample_charts(result, chart_data(result)),
        "uses_sample": result.uses_sample,
    }


class IndexVersionOut(Schema):
    number: int
    name: str
    note: str
    definition: dict[str, object]


@router.get("/index/versions", response=list[IndexVersionOut])
@paginate
def list_index_versions(request: HttpRequest) -> object:
    """Every saved version of the composite index, newest first."""
    return IndexVersion.objects.all()


@router.get("/index/scores", response={200: dict[str, object], 404: ErrorOut})
def get_index_scores(
    request: HttpRequest, version: int | None = None, kind: str = "area", year: int = 2023
) -> dict[str, object]:
    """Scores, ranks and every input (observation, source, normalised value, weight,
    contribution) of one version for one year; enough to recompute by hand."""
    saved = (
        get_object_or_404(IndexVersion, number=version)
        if version is not None
        else IndexVersion.objects.order_by("-number").first()
    )
    if saved is None:
        raise HttpError(404, "not found")
    result = compute_index(
        IndexDefinition.from_data(saved.definition), subjects_of_kind(kind), year
    )
    result.scores = [s for s in result.scores if s.coverage > 0]
    return result_as_data(result, saved.number)
