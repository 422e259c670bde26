"""OpenSearch adapter: the scale-out path for national corpora.

The index holds the same pre-segmented `tokens` in a whitespace-analysed field, so results
match the embedded backends. It needs `opensearch-py` and ZIMAO_OPENSEARCH_URL; the request
bodies are built here so they can be checked without a cluster.
"""

from typing import Any

from django.conf import settings

from . import Filters, Hit

INDEX = "zimao-search"
MAPPING = {
    "settings": {
        "analysis": {"analyzer": {"tokens": {"type": "custom", "tokenizer": "whitespace"}}}
    },
    "mappings": {
        "properties": {
            "tokens": {"type": "text", "analyzer": "tokens", "similarity": "BM25"},
            **{f: {"type": "keyword"} for f in ("kind", "zone", "area", "domain", "batch")},
            "year": {"type": "integer"},
        }
    },
}


def query_body(
    tokens: list[str], filters: Filters, *, limit: int, offset: int, any_token: bool
) -> dict[str, Any]:
    terms = [
        {"term": {name: value}}
        for name in ("kind", "zone", "area", "domain", "batch", "year")
        if (value := getattr(filters, name)) not in ("", None)
    ]
    match = {
        "match": {"tokens": {"query": " ".join(tokens), "operator": "or" if any_token else "and"}}
    }
    return {
        "query": {"bool": {"must": [match], "filter": terms}},
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
        self, tokens: list[str], filters: Filters, *, limit: int, offset: int, any_token: bool
    ) -> tuple[int, list[Hit]]:
        body = query_body(tokens, filters, limit=limit, offset=offset, any_token=any_token)
        response = self.client.search(index=INDEX, body=body)
        hits = [Hit(int(h["_id"]), float(h["_score"])) for h in response["hits"]["hits"]]
        return int(response["hits"]["total"]["value"]), hits
