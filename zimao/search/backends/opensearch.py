"""OpenSearch adapter: the scale-out path for national corpora.

The index holds the same pre-segmented `tokens` in a whitespace-analysed field, so results
match the embedded backends. It needs `opensearch-py` and ZIMAO_OPENSEARCH_URL; the request
bodies are built here so they can be checked without a cluster.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from . import Filters, Hit, Match, as_match

INDEX = "zimao-search"
MAPPING = {
    "settings": {
        "analysis": {"analyzer": {"tokens": {"type": "custom", "tokenizer": "whitespace"}}}
    },
    "mappings": {
        "properties": {
            "tokens": {"type": "text", "analyzer": "tokens", "similarity": "BM25"},
            **{f: {"type": "keyword"} for f in ("kind", "zone", "area", "domain", "batch")},
            "zones": {"type": "keyword"},  # a list: every zone the entry names
            "year": {"type": "integer"},
        }
    },
}


def _clause(match: Match) -> dict[str, Any]:
    """A bool query: each group must match, through any of its alternatives (all words)."""

    def words(alternative: tuple[str, ...], operator: str) -> dict[str, Any]:
        return {"match": {"tokens": {"query": " ".join(alternative), "operator": operator}}}

    if match.exclude is None and all(len(g) == 1 for g in match.groups):
        must = [words(tuple(w for g in match.groups for w in g[0]), "and")]
    elif (
        match.exclude is None
        and len(match.groups) == 1
        and all(len(a) == 1 for a in match.groups[0])
    ):
        must = [words(tuple(a[0] for a in match.groups[0]), "or")]
    else:
        must = [
            {"bool": {"should": [words(alt, "and") for alt in group], "minimum_should_match": 1}}
            for group in match.groups
        ]
    clause: dict[str, Any] = {"must": must}
    if match.exclude is not None:
        clause["must_not"] = [{"bool": _clause(match.exclude)}]
    return clause


def query_body(
    tokens: Sequence[str] | Match,
    filters: Filters,
    *,
    limit: int,
    offset: int,
    any_token: bool = False,
) -> dict[str, Any]:
    terms: list[dict[str, Any]] = [
        {"term": {name: value}}
        for name in ("kind", "area", "domain", "batch", "year")
        if (value := getattr(filters, name)) not in ("", None)
    ]
    if filters.zone:  # its own zone, or one of the several it names
        either = [{"term": {"zone": filters.zone}}, {"term": {"zones": filters.zone}}]
        terms.append({"bool": {"should": either, "minimum_should_match": 1}})
    return {
        "query": {"bool": {**_clause(as_match(tokens, any_token)), "filter": terms}},
        "from": offset,
        "size": limit,
        "track_total_hits": True,
        "_source": False,
    }


class OpenSearchBackend:
    name = "opensearch"

    def __init__(self) -> None:
        from opensearchpy import OpenSearch  # optional dependency: pip install opensearch-py

        self.client = OpenSearch(settings.OPENSEARCH_URL)

    def search(
        self,
        tokens: Sequence[str] | Match,
        filters: Filters,
        *,
        limit: int,
        offset: int,
        any_token: bool = False,
    ) -> tuple[int, list[Hit]]:
        body = query_body(tokens, filters, limit=limit, offset=offset, any_token=any_token)
        response = self.client.search(index=INDEX, body=body)
        hits = [Hit(int(h["_id"]), float(h["_score"])) for h in response["hits"]["hits"]]
        return int(response["hits"]["total"]["value"]), hits
