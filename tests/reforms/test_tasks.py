"""Recording task progress in the browser pages and the implementation rate it feeds."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import person
from zimao.accounts.models import Role
from zimao.reforms.models import PilotTask, TaskStatusChange
from zimao.reforms.selectors import implementation_rates, month_ends, rate_history
from zimao.reforms.services import task_update
from zimao.zones.models import Plan, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    user = person("zoe", Role.ZONE, zone=Zone.objects.get(code="tianjin"))
    return user


@pytest.fixture
def plan_tasks():
    plan = Plan.objects.filter(zone__code="tianjin").first()
    statuses = ["implemented", "implemented", "in_progress", "not_applicable", "not_started"]
    return plan, [
        PilotTask.objects.create(plan=plan, number=str(i), text=f"任务{i}", status=s)
        for i, s in enumerate(statuses, start=1)
    ]


def test_the_rate_leaves_out_tasks_that_do_not_apply(plan_tasks):
    plan, _ = plan_tasks
    [rate] = implementation_rates("zone", zone="tianjin")
    assert (rate.implemented, rate.applicable, rate.rate) == (2, 4, 0.5)
    assert implementation_rates("plan", plan=plan.pk)[0].rate == 0.5


def test_the_rate_over_time_follows_recorded_changes(office, plan_tasks):
    _, (first, *_rest) = plan_tasks
    PilotTask.objects.update(status="not_started")
    task = PilotTask.objects.get(pk=first.pk)
    task_update(
        user=office, task=task, version=task.version, status="implemented", evidence="细则已印发"
    )
    change = TaskStatusChange.objects.get(task=task)
    assert change.by == office
    yesterday = timezone.localdate() - timedelta(days=1)
    before, today = rate_history([yesterday, timezone.localdate()], zone="tianjin")
    assert (before.implemented, today.implemented, today.applicable) == (0, 1, 5)
    assert len(month_ends(12)) == 12


def test_the_history_replays_every_change_in_order(plan_tasks):
    """Changes on several days, including moves away from implemented and into not
    applicable, against a count done by hand."""
    from datetime import datetime, time

    _, tasks = plan_tasks
    zone = timezone.get_current_timezone()

    def on(day: int) -> datetime:
        return datetime.combine(timezone.localdate() - timedelta(days=10 - day), time(12), zone)

    TaskStatusChange.objects.filter(task__in=tasks).delete()
    a, b, c = tasks[:3]
    for task, day, status in [
        (a, 1, "implemented"),
        (b, 2, "in_progress"),
        (b, 4, "implemented"),
        (a, 5, "in_progress"),  # implemented, then not any more
        (c, 6, "not_applicable"),
    ]:
        TaskStatusChange.objects.create(task=task, status=status, at=on(day))
    days = [on(d).date() for d in (0, 1, 3, 4, 5, 6)]
    total = PilotTask.objects.filter(plan__zone__code="tianjin").count()
    expected = [(0, total), (1, total), (1, total), (2, total), (1, total), (1, total - 1)]
    got = [(r.implemented, r.applicable) for r in rate_history(days, zone="tianjin")]
    assert got == expected


def test_an_office_records_progress_on_the_page(client, office, plan_tasks):
    plan, tasks = plan_tasks
    task = tasks[2]
    client.force_login(office)
    page = client.get(f"/reforms/plans/{plan.pk}/").content.decode()
    assert f"/reforms/tasks/{task.pk}/edit/" in page and 'id="plan-rate"' in page
    response = client.post(
        f"/reforms/tasks/{task.pk}/edit/",
        {
            "status": "implemented",
            "evidence": "细则已印发",
            "version": 1,
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.evidence, task.version) == ("implemented", "细则已印发", 2)


def test_a_concurrent_edit_is_refused_with_the_changes(client, office, plan_tasks):
    _, tasks = plan_tasks
    task = tasks[4]
    client.force_login(office)
    task_update(user=office, task=task, version=1, evidence="另一位同事的记录")
    response = client.post(
        f"/reforms/tasks/{task.pk}/edit/",
        {"status": "in_progress", "evidence": "我的记录", "version": 1},
    )
    assert response.status_code == 409
    assert 'id="conflict"' in response.content.decode()
    task.refresh_from_db()
    assert task.evidence == "另一位同事的记录"


def test_another_zone_cannot_edit(client, plan_tasks):
    _, tasks = plan_tasks
    other = person("sam", Role.ZONE, zone=Zone.objects.get(code="sichuan"))
    client.force_login(other)
    assert client.get(f"/reforms/tasks/{tasks[0].pk}/edit/").status_code == 403


def test_the_dashboard_and_the_api_report_rates(client, plan_tasks):
    html = client.get("/reforms/implementation/", {"zone": "tianjin"}).content.decode()
    assert 'id="rate-by-zone"' in html and "tianjin" in html
    body = client.get("/api/implementation", {"by": "zone"}).json()
    assert {"key": "tianjin", "implemented": 2, "applicable": 4, "rate": 0.5} in body
    history = client.get("/api/implementation/history", {"zone": "tianjin", "months": 3}).json()
    assert len(history) == 3


def test_tasks_of_an_area_have_their_own_rate_and_office(plan_tasks):
    from zimao.zones.models import Area

    _, tasks = plan_tasks
    port = Area.objects.get(name_zh="天津港片区")
    PilotTask.objects.filter(pk__in=[tasks[0].pk, tasks[2].pk]).update(area=port)
    by_area = {
        r.key: (r.implemented, r.applicable) for r in implementation_rates("area", zone="tianjin")
    }
    assert by_area == {"天津港片区": (1, 2), "—": (1, 2)}
    area_office = person("ada", Role.AREA, area=port)
    mine = PilotTask.objects.get(pk=tasks[2].pk)
    done = task_update(
        user=area_office, task=mine, version=1, status="implemented", evidence="已落实"
    )
    assert done.version == 2
    other = PilotTask.objects.get(pk=tasks[4].pk)
    with pytest.raises(PermissionDenied):
        task_update(user=area_office, task=other, version=1, status="implemented")


def test_import_assigns_areas_and_rejects_unknown_ones():
    from zimao.reforms.imports import parse_tasks

    plan = Plan.objects.filter(zone__code="tianjin").first()
    good = "number,text,area\n1,航运金融创新,天津港片区\n".encode()
    bad = "number,text,area\n1,航运金融创新,南沙片区\n".encode()
    assert parse_tasks("t.csv", good, plan).ok
    assert parse_tasks("t.csv", bad, plan).errors == [
        "第 2 行「片区」：“南沙片区”不是本试验区的片区"
    ]
