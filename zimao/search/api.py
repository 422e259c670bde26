from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from zimao.reforms.services import visible_innovations
from zimao.zones.models import Zone

from .backends import Filters
from .differentiation import zone_differentiation
from .models import SearchEntry
from .selectors import as_dict, search, similar_to

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str
    kind: str = ""
    zone: str = ""
    area: str = ""
    domain: str = ""
    batch: str = ""
    year: int | None = None
    limit: int = 10
    offset: int = 0


class SearchOut(Schema):
    count: int
    strict_count: int
    backend: str
    tokens: list[str]
    synonyms: dict[str, list[str]]
    zone: str | None
    relaxed: bool
    items: list[dict[str, Any]]
    suggestions: list[str]
    without_filters: int | None


@router.get("/search", response=SearchOut)
def search_api(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    """Full-text search over innovations, replication items, documents and passages (BM25 on
    segmented text). Zone names and abbreviations in `q` become a zone filter; traditional
    characters and full-width input are accepted; words of the domain synonym table match their
    other forms (`synonyms`). Entries with every word come first (`strict_count`); when there
    are fewer than 10, entries with only some of the words, synonyms or sub-words follow, each
    with `relaxed: true`."""
    if not params.q.strip() or len(params.q) > 200:
        raise HttpError(422, "q must be 1 to 200 characters")
    if not 1 <= params.limit <= 100 or params.offset < 0:
        raise HttpError(422, "limit must be 1-100 and offset not negative")
    filters = Filters(
        kind=params.kind,
        zone=params.zone,
        area=params.area,
        domain=params.domain,
        batch=params.batch,
        year=params.year,
    )
    outcome = search(params.q, filters, limit=params.limit, offset=params.offset)
    return {
        "count": outcome.total,
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


@router.get("/similar", response=list[SimilarOut])
def similar_api(request: HttpRequest, kind: str, id: str, limit: int = 5) -> list[dict[str, Any]]:
    """The most similar innovations, replication items and passages to one record
    (character n-gram TF-IDF cosine over full-text candidates)."""
    if not 1 <= limit <= 50:
        raise HttpError(422, "limit must be 1-50")
    if not SearchEntry.objects.filter(kind=kind, object_id=id).exists():
        raise HttpError(404, "not found")
    return [
        {
            "kind": s.entry.kind,
            "id": s.entry.object_id,
            "title": s.entry.title,
            "url": s.entry.url,
            "zone": s.entry.zone or None,
            "score": round(s.score, 4),
        }
        for s in similar_to(kind, id, limit)
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


@router.get("/zones/{code}/differentiation", response=list[PositionOut])
def differentiation_api(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    """For each innovation of the zone: the other zones' innovations describing the same reform."""
    if not Zone.objects.filter(code=code).exists():
        raise HttpError(404, "not found")
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
        for p in zone_differentiation(code, visible_innovations(request.user))
    ]
