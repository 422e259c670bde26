"""The same rules through the JSON API: create, edit with a version, step, record progress."""

import pytest

from tests.factories import person
from zimao.accounts.models import Role
from zimao.reforms.models import Innovation, PilotTask
from zimao.zones.models import Plan, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe():
    user = person("zoe", Role.ZONE, zone=Zone.objects.get(code="anhui"))
    return user


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_writes_need_a_signed_in_user(client):
    assert post(client, "/api/innovations", {"title": "x", "zone": "anhui"}).status_code == 401


def test_create_edit_and_conflict(client, zoe):
    client.force_login(zoe)
    created = post(
        client,
        "/api/innovations",
        {"title": "合肥科技成果转化", "zone": "anhui", "area": "合肥片区", "domain": "industry"},
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["zone"], body["area"], body["version"]) == ("anhui", "合肥片区", 1)
    url = f"/api/innovations/{body['id']}"
    first = client.patch(
        url, {"version": 1, "mechanism": "概念验证中心"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(
        url, {"version": 1, "mechanism": "另一写法"}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["changes"] == {"mechanism": ["另一写法", "概念验证中心"]}


def test_the_api_refuses_what_the_pages_refuse(client, zoe):
    client.force_login(zoe)
    assert post(client, "/api/innovations", {"title": "越权", "zone": "hubei"}).status_code == 403
    assert post(client, "/api/innovations", {"title": "x", "zone": "atlantis"}).status_code == 422
    innovation = Innovation.objects.create(
        title="芜湖航空产业", zone=Zone.objects.get(code="anhui")
    )
    url = f"/api/innovations/{innovation.pk}/transitions"
    skipped = post(client, url, {"to_state": "selected", "reason": "跳过", "version": 1})
    assert skipped.status_code == 422 and skipped.json()["errors"][0]["field"] == "to_state"
    started = post(client, url, {"to_state": "piloting", "reason": "启动", "version": 1})
    assert started.json()["state"] == "piloting"
    stale = post(client, url, {"to_state": "withdrawn", "reason": "撤回", "version": 1})
    assert stale.status_code == 409


def test_task_progress_through_the_api(client, zoe):
    task = PilotTask.objects.create(
        plan=Plan.objects.filter(zone__code="anhui").first(),
        number="3",
        text="建设长三角科技创新共同体",
    )
    client.force_login(zoe)
    url = f"/api/tasks/{task.pk}/progress"
    done = post(client, url, {"version": 1, "status": "implemented", "evidence": "已建成"})
    assert done.status_code == 200 and done.json()["version"] == 2
    assert post(client, url, {"version": 1, "status": "in_progress"}).status_code == 409
    assert post(client, url, {"version": 2, "status": "finished"}).status_code == 422
    listing = client.get("/api/innovations", {"zone": "anhui"}).json()
    assert listing["count"] == 0  # nothing published yet, but zoe sees her zone's drafts below
    Innovation.objects.create(title="草稿", zone=Zone.objects.get(code="anhui"))
    assert client.get("/api/innovations", {"zone": "anhui"}).json()["count"] == 1


def test_an_area_without_a_zone_is_refused_not_a_crash(client, zoe):
    client.force_login(zoe)
    response = client.post(
        "/api/innovations",
        {"title": "无区片区", "zone": "", "area": "前海蛇口片区"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "area"
