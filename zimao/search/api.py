from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from .backends import Filters
from .selectors import as_dict, search

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
    backend: str
    tokens: list[str]
    zone: str | None
    relaxed: bool
    items: list[dict[str, Any]]
    suggestions: list[str]
    without_filters: int | None


@router.get("/search", response=SearchOut)
def search_api(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    """Full-text search over innovations, replication items, documents and passages (BM25 on
    segmented text). Zone names and abbreviations in `q` become a zone filter; traditional
    characters and full-width input are accepted."""
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
        "backend": outcome.backend,
        "tokens": outcome.query.tokens,
        "zone": outcome.filters.zone or None,
        "relaxed": outcome.relaxed,
        "items": [as_dict(r) for r in outcome.results],
        "suggestions": outcome.suggestions,
        "without_filters": outcome.without_filters,
    }
