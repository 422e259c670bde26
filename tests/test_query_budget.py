"""Nothing per request may grow with the database: every GET route's query count, as the
national office (who sees most), stays within a budget and does not grow when the records
grow tenfold. Routes come from the URLconf, as in the access walk."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_document, make_effect, make_innovation, make_task
from tests.test_access_walk import routes, urls_for
from zimao.replication.models import Adoption, ReplicationItem
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db

BUDGET = 40  # queries for one page or API call, whatever the data
SLACK = 2  # a page may add a query or two (e.g. a second page of results), never one per row


def grow(times: int, start: int) -> None:
    """`times` more of each kind of record, spread over zones."""
    zones = list(Zone.objects.order_by("id"))
    items = list(ReplicationItem.objects.order_by("id")[:20])
    for n in range(start, start + times):
        zone = zones[n % len(zones)]
        innovation = make_innovation(
            f"第{n}项跨境改革", zone.code, published=n % 2 == 0, state="submitted"
        )
        make_effect(innovation)
        make_task(f"B-{n}", zone.code)
        make_document(f"{zone.short_name_zh}通关时间从72小时压缩到37小时。第{n}号", f"文档{n}")
        Adoption.objects.get_or_create(
            item=items[n % len(items)], zone=zone, area=None, defaults={"status": "adopted"}
        )


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "跨境", "kind": "innovation", "id": "1"})
    assert response.status_code < 500, url
    return len(queries)


def test_query_counts_hold_at_ten_times_the_records(cast):
    client = Client()
    client.force_login(cast.nina)
    grow(3, 0)
    values = {
        "pk": [make_innovation("预算样本", published=True).pk],
        "code": ["guangdong"],
        "area_id": [1],
        "document_id": [make_document("样本文档正文。", "样本").pk],
        "fact_id": [1],
        "innovation_id": [1],
        "task_id": [make_task("S-1").pk],
        "record_type": ["reforms.innovation"],
        "record_id": ["1"],
        "target": ["innovation"],
    }
    by_namespace = {"reforms:plan": [make_task("S-2").plan_id]}
    targets = [
        (route.name, urls_for(route, values, by_namespace)[0])
        for route in routes()
        if route.name not in {"api:openapi-json", "api:openapi-view", "accounts:logout"}
    ]
    small = {name: count(client, url) for name, url in targets}
    grow(30, 3)
    large = {name: count(client, url) for name, url in targets}
    over = {n: large[n] for n in large if large[n] > BUDGET}
    grew = {n: (small[n], large[n]) for n in large if large[n] > small[n] + SLACK}
    assert not over, f"over the budget of {BUDGET}: {over}"
    assert not grew, f"queries grew with the data: {grew}"
