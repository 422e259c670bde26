"""Nothing per request may grow with the database: every GET route's query count, as the
national office (who sees most), stays within a budget and does not grow when the records
grow tenfold. Routes come from the URLconf, as in the access walk. benchmarks/routes.py
measures the same routes at 1×, 10× and 100× with the same records (tests/volume.py)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_document, make_innovation, make_task
from tests.test_access_walk import routes, urls_for
from tests.volume import grow
from zimao.web.templatetags.zimao import forget_zones
from zimao.zones.models import Area

pytestmark = pytest.mark.django_db

BUDGET = 40  # queries for one page or API call, whatever the data
SLACK = 2  # a page may add a query or two (e.g. a second page of results), never one per row
QUERY = {"q": "跨境", "kind": "innovation"}  # sent to every route
SKIPPED = {"api:openapi-json", "api:openapi-view", "accounts:logout"}


def targets() -> list[tuple[str, str]]:
    """(route name, URL) of every GET route, its parameters filled with sample records made
    here (an innovation, a document, tasks in a plan)."""
    document = make_document("样本文档正文。", "样本").pk
    innovation = make_innovation("预算样本", published=True).pk
    area = Area.objects.get(zone__code="guangdong", name_zh="南沙片区").pk  # by natural key
    values = {
        "pk": [innovation],
        "code": ["guangdong"],
        "area_id": [area],
        "document_id": [document],
        "innovation_id": [innovation],
        "task_id": [make_task("S-1").pk],
        "record_type": ["reforms.innovation"],
        "record_id": [str(innovation)],
        "target": ["innovation"],
        "batch": ["2023-first"],
        "measure": ["foreign-financial-new-services"],
        "topic": ["nuclear-power"],
    }
    by_namespace = {"reforms:plan": [make_task("S-2").plan_id], "documents:detail": [document]}
    return [
        (route.name, urls_for(route, values, by_namespace)[0])
        for route in routes()
        if route.name not in SKIPPED
    ]


def count(client: Client, url: str) -> int:
    """Queries of one request, each made from the same state: the zone names a page may have
    kept from an earlier request (for a minute) are forgotten first, so the count depends on
    neither the order of the routes nor the clock."""
    forget_zones()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, QUERY)
    assert response.status_code < 500, url
    return len(queries)


def test_query_counts_hold_at_ten_times_the_records(cast):
    client = Client()
    client.force_login(cast.nina)
    grow(3, 0)
    found = targets()
    small = {name: count(client, url) for name, url in found}
    grow(30, 3)
    large = {name: count(client, url) for name, url in found}
    over = {n: large[n] for n in large if large[n] > BUDGET}
    grew = {n: (small[n], large[n]) for n in large if large[n] > small[n] + SLACK}
    assert not over, f"over the budget of {BUDGET}: {over}"
    assert not grew, f"queries grew with the data: {grew}"
