from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from zimao.accounts.access import scope_q, visible
from zimao.lib.schemas import ERRORS, NO_NUL, Code, Text, Year
from zimao.zones.models import Zone

from .backends import Filters
from .differentiation import zone_differentiation
from .models import SearchEntry
from .selectors import as_dict, search, similar_to

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    kind: Literal["", "innovation", "item", "task", "document", "passage"] = ""
    zone: Text = ""
    area: Text = ""
    domain: Text = ""
    batch: Text = ""
    year: Year | None = None
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)


class SearchOut(Schema):
    count: int
    # False: more entries match than `count`; only the newest `count` were ranked.
    count_exact: bool
    strict_count: int
    backend: str
    tokens: list[str]
    synonyms: dict[str, list[str]]
    zone: str | None
    relaxed: bool
    items: list[dict[str, Any]]
    suggestions: list[str]
    without_filters: int | None


@router.get("/search", response={200: SearchOut, **ERRORS})
def search_api(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    """Full-text search over innovations, replication items, documents and passages (BM25 on
    segmented text). Zone names and abbreviations in `q` become a zone filter; traditional
    characters and full-width input are accepted; words of the domain synonym table match their
    other forms (`synonyms`). Entries with every word come first (`strict_count`); when there
    are fewer than 10, entries with only some of the words, synonyms or sub-words follow, each
    with `relaxed: true`. Only what the caller may see is searched."""
    if not params.q.strip():
        raise ValidationError({"q": _("请输入检索词")})
    filters = Filters(
        kind=params.kind,
        zone=params.zone,
        area=params.area,
        domain=params.domain,
        batch=params.batch,
        year=params.year,
    )
    outcome = search(params.q, filters, user=request.user, limit=params.limit, offset=params.offset)
    return {
        "count": outcome.total,
        "count_exact": outcome.exact,
        "strict_count": outcome.strict_total or 0,
        "backend": outcome.backend,
        "tokens": outcome.query.tokens,
        "synonyms": outcome.query.synonyms,
        "zone": outcome.filters.zone or None,
        "relaxed": outcome.relaxed,
        "items": [as_dict(r) for r in outcome.results],
        "suggestions": outcome.suggestions,
        "without_filters": outcome.without_filters,
    }


class SimilarOut(Schema):
    kind: str
    id: str
    title: str
    url: str
    zone: str | None
    score: float


@router.get("/similar", response={200: list[SimilarOut], **ERRORS})
def similar_api(
    request: HttpRequest,
    kind: Literal["innovation", "item", "task", "document", "passage"],
    id: Code,
    limit: Annotated[int, Field(ge=1, le=50)] = 5,
) -> list[dict[str, Any]]:
    """The most similar innovations, replication items and passages to one record, among
    those the caller may see (TF-IDF cosine of words and character n-grams, computed when
    records change and stored)."""
    if not visible(request.user, SearchEntry.objects.filter(kind=kind, object_id=id)).exists():
        raise Http404
    return [
        {
            "kind": s.entry.kind,
            "id": s.entry.object_id,
            "title": s.entry.title,
            "url": s.entry.url,
            "zone": s.entry.zone or None,
            "score": round(s.score, 4),
        }
        for s in similar_to(kind, id, user=request.user, limit=limit)
    ]


class SharedOut(Schema):
    zone: str
    innovation: int
    title: str
    score: float


class PositionOut(Schema):
    innovation: int
    title: str
    unique: bool
    shared_with: list[SharedOut]


@router.get("/zones/{code}/differentiation", response={200: list[PositionOut], **ERRORS})
def differentiation_api(
    request: HttpRequest,
    code: Code,
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
    offset: Annotated[int, Field(ge=0, le=100_000)] = 0,
) -> list[dict[str, Any]]:
    """For each innovation of the zone (shared ones first, `limit` from `offset`): the other
    zones' innovations describing the same reform, from the stored similar records."""
    if not Zone.objects.filter(code=code).exists():
        raise Http404
    result = zone_differentiation(
        code, scope_q(request.user, SearchEntry), limit=limit, offset=offset
    )
    return [
        {
            "innovation": p.innovation.pk,
            "title": p.innovation.title,
            "unique": p.unique,
            "shared_with": [
                {
                    "zone": zone,
                    "innovation": other.pk,
                    "title": other.title,
                    "score": round(score, 4),
                }
                for zone, matches in p.shared_with.items()
                for other, score in matches
            ],
        }
        for p in result.positions
    ]
