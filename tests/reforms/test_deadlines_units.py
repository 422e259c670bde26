"""Due dates (完成时限) and responsible units (责任单位): the zone's catalogue, the task page,
the task list's filters and the API, all measured against a given day."""

from datetime import date

import pytest

from tests.factories import person
from zimao.accounts.models import Role
from zimao.audit.models import AuditEvent
from zimao.reforms.models import PilotTask, ResponsibleUnit
from zimao.zones.models import Plan, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianjin():
    return Zone.objects.get(code="tianjin")


@pytest.fixture
def office(tianjin):
    return person("tia", Role.ZONE, zone=tianjin)


@pytest.fixture
def plan(tianjin, settings):
    settings.TODAY = date(2026, 3, 1)
    settings.DUE_SOON_DAYS = 14
    plan = Plan.objects.filter(zone=tianjin).first()
    commerce = ResponsibleUnit.objects.create(zone=tianjin, name="市商务局")
    customs = ResponsibleUnit.objects.create(zone=tianjin, name="天津海关")
    rows = [
        ("T-1", "2026-02-20", "in_progress", [commerce]),  # overdue
        ("T-2", "2026-03-10", "not_started", [customs]),  # due soon
        ("T-3", "2026-02-01", "implemented", [commerce]),  # done: neither
        ("T-4", "2026-05-01", "not_started", [commerce, customs]),  # later
        ("T-5", None, "not_started", []),
    ]
    for number, due, status, units in rows:
        task = PilotTask.objects.create(
            plan=plan, number=number, text=f"任务{number}", due_date=due, status=status
        )
        task.units.set(units)
    return plan


def numbers(html: str) -> list[str]:
    return [
        n for n in ("T-1", "T-2", "T-3", "T-4", "T-5") if f'<td data-label="编号">{n}</td>' in html
    ]


def test_the_task_list_filters_by_unit_and_by_deadline(client, plan):
    url = f"/reforms/plans/{plan.pk}/"
    html = client.get(url).content.decode()
    assert numbers(html) == ["T-1", "T-2", "T-3", "T-4", "T-5"]
    assert "天津海关、市商务局" in html and "逾期" in html and "即将到期" in html
    customs = ResponsibleUnit.objects.get(name="天津海关")
    assert numbers(client.get(url, {"unit": customs.pk}).content.decode()) == ["T-2", "T-4"]
    assert numbers(client.get(url, {"due": "overdue"}).content.decode()) == ["T-1"]
    soon = client.get(url, {"due": "soon"}).content.decode()
    assert numbers(soon) == ["T-2"] and "2026-03-01 至 2026-03-15" in soon
    both = client.get(url, {"due": "soon", "unit": customs.pk}).content.decode()
    assert numbers(both) == ["T-2"]
    assert client.get(url, {"due": "nonsense", "unit": "x"}).status_code == 200


def test_the_api_lists_and_updates_due_dates_and_units(client, plan, office):
    commerce = ResponsibleUnit.objects.get(name="市商务局")
    body = client.get(f"/api/plans/{plan.pk}/tasks", {"due": "overdue"}).json()
    assert [t["number"] for t in body["items"]] == ["T-1"]
    assert body["items"][0]["units"] == [{"id": commerce.pk, "name": "市商务局"}]
    assert body["items"][0]["due_date"] == "2026-02-20"
    units = client.get("/api/zones/tianjin/units").json()
    assert [u["name"] for u in units] == ["天津海关", "市商务局"]
    task = PilotTask.objects.get(plan=plan, number="T-5")
    client.force_login(office)
    response = client.post(
        f"/api/tasks/{task.pk}/progress",
        {"version": 1, "due_date": "2026-04-30", "units": [commerce.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["due_date"] == "2026-04-30"
    assert response.json()["units"] == [{"id": commerce.pk, "name": "市商务局"}]
    foreign = ResponsibleUnit.objects.create(zone=Zone.objects.get(code="sichuan"), name="省商务厅")
    refused = client.post(
        f"/api/tasks/{task.pk}/progress",
        {"version": 2, "units": [foreign.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "责任单位名录" in refused.content.decode()
    event = AuditEvent.objects.filter(record_id=task.pk, action="update").latest("pk")
    assert event.before["units"] == [] and event.after["units"] == [commerce.pk]
    assert event.after["due_date"] == "2026-04-30"


def test_the_task_page_sets_a_due_date_in_chinese_forms_and_units(client, plan, office):
    task = PilotTask.objects.get(plan=plan, number="T-5")
    customs = ResponsibleUnit.objects.get(name="天津海关")
    client.force_login(office)
    page = client.get(f"/reforms/tasks/{task.pk}/edit/").content.decode()
    assert 'type="date"' in page and "天津海关" in page and "省商务厅" not in page
    response = client.post(
        f"/reforms/tasks/{task.pk}/edit/",
        {"status": "in_progress", "due_date": "2026年4月15日", "units": [customs.pk], "version": 1},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_date == date(2026, 4, 15) and list(task.units.all()) == [customs]
    bad = client.post(
        f"/reforms/tasks/{task.pk}/edit/",
        {"status": "in_progress", "due_date": "明年", "version": 2},
    )
    assert bad.status_code == 400 and "无法识别的日期“明年”" in bad.content.decode()


def test_the_zone_office_keeps_its_catalogue_and_others_only_read_it(client, tianjin, office):
    url = "/reforms/zones/tianjin/units/"
    client.force_login(office)
    assert client.post(url, {"name": " 市场监管委 "}).status_code == 302
    unit = ResponsibleUnit.objects.get(zone=tianjin, name="市场监管委")
    assert AuditEvent.objects.filter(record_id=unit.pk, action="create").exists()
    again = client.post(url, {"name": "市场监管委"})
    assert (
        again.status_code == 400
        and "本试验区已有名为“市场监管委”的责任单位" in again.content.decode()
    )
    assert client.post(url, {"name": "市市场监管委", "unit": unit.pk}).status_code == 302
    unit.refresh_from_db()
    assert unit.name == "市市场监管委"
    other = person("sam", Role.ZONE, zone=Zone.objects.get(code="sichuan"))
    client.force_login(other)
    page = client.get(url)
    assert page.status_code == 200 and 'id="unit-new"' not in page.content.decode()
    assert client.post(url, {"name": "越权添加"}).status_code == 403
    assert not ResponsibleUnit.objects.filter(name="越权添加").exists()
