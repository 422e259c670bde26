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


def _grow_demands(n: int) -> None:
    """`n` more demands of two enterprises, each routed to two departments (one overdue) with
    two steps and a power asked of the province (ORM rows: the fixtures, not the code)."""
    from datetime import date

    from zimao.demands.models import Assignment, AuthorityRequest, Demand, DemandStep, Enterprise
    from zimao.reforms.models import ResponsibleUnit
    from zimao.zones.models import Zone

    zone = Zone.objects.get(code="guangdong")
    area = Area.objects.get(zone=zone, name_zh="前海蛇口片区")
    units = [
        ResponsibleUnit.objects.get_or_create(zone=zone, name=name)[0]
        for name in ("预算商务局", "预算海关")
    ]
    firms = list(Enterprise.objects.order_by("credit_code"))
    start = Demand.objects.count()
    for i in range(start, start + n):
        demand = Demand.objects.create(
            enterprise=firms[i % len(firms)], zone=zone, area=area, title=f"跨境退货诉求{i}",
            problem="退货出区慢", blocker="逐票申报", industry="跨境电商", change="集中申报",
            status=Demand.Status.ASSIGNED,
        )  # fmt: skip
        for unit, due in zip(units, (date(2000, 1, 1), date(2999, 1, 1)), strict=True):
            Assignment.objects.create(demand=demand, unit=unit, due_date=due)
        DemandStep.objects.create(demand=demand, status="submitted")
        DemandStep.objects.create(demand=demand, status="assigned")
        AuthorityRequest.objects.create(
            zone=zone,
            area=area,
            demand=demand,
            level="provincial",
            power=f"事权{i}",
            request="请授权",
        )


def test_demand_routes_hold_at_ten_times_the_demands(cast):
    """The demand window's pages and API, as the national office, the area office and an
    enterprise, with 3 and then 33 demands."""
    from zimao.demands.creditcode import check_character
    from zimao.demands.models import Assignment, AuthorityRequest, Demand
    from zimao.demands.services import enterprise_register
    from zimao.zones.models import Zone

    zone = Zone.objects.get(code="guangdong")
    users = {"nina": cast.nina, "ada": cast.ada}
    for serial in (1, 2):
        first17 = f"9144030007{serial:07d}"
        firm = enterprise_register(
            username=f"firm{serial}", password="pw-firm-Strong-123", email="f@firm.example.cn",
            name=f"预算企业{serial}", credit_code=first17 + check_character(first17), zone=zone,
        )  # fmt: skip
        users[f"firm{serial}"] = firm.user
    _grow_demands(3)
    demand = Demand.objects.order_by("id").first()
    values = {
        "pk": [demand.pk],
        "innovation_id": [make_innovation("预算样本", published=True).pk],
    }
    by_namespace = {
        "demands:assignment": [Assignment.objects.order_by("id").first().pk],
        "demands:authority": [AuthorityRequest.objects.order_by("id").first().pk],
    }
    found = [
        (route.name, urls_for(route, values, by_namespace)[0])
        for route in routes()
        if (route.name.startswith(("demands:", "api:")) and "demand" in route.path)
        or route.name.startswith("demands:")
    ]
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    assert clients["nina"].get(f"/demands/{demand.pk}/").status_code == 200
    assert (
        clients["ada"]
        .get(f"/demands/assignments/{by_namespace['demands:assignment'][0]}/")
        .status_code
        == 200
    )
    small = {(w, n): count(c, url) for w, c in clients.items() for n, url in found}
    _grow_demands(30)
    large = {(w, n): count(c, url) for w, c in clients.items() for n, url in found}
    over = {k: large[k] for k in large if large[k] > BUDGET}
    grew = {k: (small[k], large[k]) for k in large if large[k] > small[k] + SLACK}
    assert not over, f"over the budget of {BUDGET}: {over}"
    assert not grew, f"queries grew with the demands: {grew}"
