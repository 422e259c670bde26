"""GET /api/search and the results page."""

import pytest

from zimao.replication.models import ReplicationItem

pytestmark = pytest.mark.django_db


def test_the_api_returns_ranked_items_with_highlights(client):
    body = client.get("/api/search", {"q": "公证", "kind": "item"}).json()
    assert body["count"] == ReplicationItem.objects.filter(title__contains="公证").count() == 2
    assert body["tokens"] == ["公证"]
    assert body["backend"] in {"sqlite-fts5", "postgresql-fts"}
    first = body["items"][0]
    assert first["kind"] == "item" and "公证" in first["title"]
    assert body["items"][0]["score"] >= body["items"][1]["score"]


def test_the_api_pages(client):
    everything = client.get("/api/search", {"q": "改革", "limit": 100}).json()
    assert everything["count"] > 3
    second = client.get("/api/search", {"q": "改革", "limit": 2, "offset": 2}).json()
    assert [i["id"] for i in second["items"]] == [i["id"] for i in everything["items"][2:4]]


def test_bad_queries_are_422(client):
    assert client.get("/api/search", {"q": ""}).status_code == 422
    assert client.get("/api/search", {"q": "清单", "limit": 0}).status_code == 422
    assert client.get("/api/search").status_code == 422


def test_the_results_page_and_the_header_box(client):
    html = client.get("/search/", {"q": "公证"}).content.decode()
    assert 'id="result-count"' in html and "<mark>" not in html.split("<main")[0]
    assert 'name="q"' in client.get("/").content.decode()
    empty = client.get("/search/", {"q": "量子隧穿"}).content.decode()
    assert 'id="no-results"' in empty
