"""The one write path: stale writes lose with 409 and what changed, the winner alone is audited,
the search index follows every service write, and hostile input is refused by name."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import make_innovation, make_task
from zimao.audit.models import AuditEvent
from zimao.audit.writes import EditConflict
from zimao.reforms.models import Effect, Innovation
from zimao.reforms.services import effect_add, innovation_update
from zimao.replication.models import ReplicationItem
from zimao.replication.services import adoption_set
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


def send(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def test_two_stale_api_edits_one_wins(client, cast):
    draft = make_innovation("南沙跨境电商监管创新")
    client.force_login(cast.zoe)
    url = f"/api/innovations/{draft.pk}"
    won = send(client, "patch", url, {"version": 1, "mechanism": "甲"})
    lost = send(client, "patch", url, {"version": 1, "mechanism": "乙"})
    assert (won.status_code, lost.status_code) == (200, 409)
    assert lost.json()["changes"] == {"mechanism": ["乙", "甲"]}
    updates = AuditEvent.objects.filter(record_id=str(draft.pk), action="update")
    assert [e.after["mechanism"] for e in updates] == ["甲"]


def test_two_stale_transitions_one_wins(client, cast):
    draft = make_innovation("南沙跨境电商监管创新")
    client.force_login(cast.zoe)
    url = f"/api/innovations/{draft.pk}/transitions"
    won = send(client, "post", url, {"version": 1, "to_state": "withdrawn", "reason": "并入"})
    lost = send(client, "post", url, {"version": 1, "to_state": "piloting", "reason": "试点"})
    assert (won.status_code, lost.status_code) == (200, 409)
    assert Innovation.objects.get(pk=draft.pk).state == "withdrawn"
    steps = AuditEvent.objects.filter(action__startswith="transition:")
    assert [e.action for e in steps] == ["transition:withdrawn"]


def test_two_stale_task_progress_reports_one_wins(client, cast):
    task = make_task()
    client.force_login(cast.zoe)
    url = f"/api/tasks/{task.pk}/progress"
    won = send(
        client, "post", url, {"version": 1, "status": "implemented", "evidence": "细则已印发"}
    )
    lost = send(client, "post", url, {"version": 1, "status": "in_progress"})
    assert (won.status_code, lost.status_code) == (200, 409)
    assert lost.json()["changes"]["status"] == ["in_progress", "implemented"]
    assert AuditEvent.objects.filter(record_type="reforms.pilottask").count() == 1


def test_two_stale_adoption_entries_one_wins(cast):
    item = ReplicationItem.objects.get(code="2019-investment-01")
    zone = Zone.objects.get(code="guangdong")
    adoption_set(user=cast.zoe, item=item, zone=zone, status="in_progress")
    adoption_set(user=cast.zoe, item=item, zone=zone, status="adopted", version=1)
    with pytest.raises(EditConflict) as lost:
        adoption_set(user=cast.paul, item=item, zone=zone, status="not_applicable", version=1)
    assert lost.value.changes["status"] == ("not_applicable", "adopted")
    assert [e.action for e in AuditEvent.objects.filter(record_type="replication.adoption")] == [
        "update",
        "create",
    ]


def test_a_second_first_entry_is_a_conflict_not_an_overwrite(cast):
    """Two offices both think there is no entry yet: the second sees the first's."""
    item = ReplicationItem.objects.get(code="2019-investment-01")
    zone = Zone.objects.get(code="guangdong")
    adoption_set(user=cast.zoe, item=item, zone=zone, status="adopted")
    with pytest.raises(EditConflict):
        adoption_set(user=cast.paul, item=item, zone=zone, status="in_progress", version=None)


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_edits_one_wins():
    """Eight threads save the same version at once: one update, seven conflicts, one event."""
    from tests.factories import make_cast

    cast = make_cast()
    draft = make_innovation("横琴跨境办公")
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def edit(number: int) -> None:
        try:
            barrier.wait()
            innovation = Innovation.objects.get(pk=draft.pk)
            innovation_update(
                user=cast.zoe, innovation=innovation, version=1, title=f"版本{number}"
            )
            outcomes.append("won")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["won"]
    assert Innovation.objects.get(pk=draft.pk).version == 2
    assert AuditEvent.objects.filter(record_id=str(draft.pk), action="update").count() == 1


def test_the_search_api_follows_an_api_edit(client, cast, django_capture_on_commit_callbacks):
    published = make_innovation("前海鲲鹏通关试点", published=True)
    client.force_login(cast.nina)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            "patch",
            f"/api/innovations/{published.pk}",
            {"version": 1, "title": "前海理财通试点"},
        )
    assert response.status_code == 200
    client.logout()
    found = client.get("/api/search", {"q": "理财通"}).json()
    assert [i["id"] for i in found["items"] if not i["relaxed"]] == [str(published.pk)]
    assert client.get("/api/search", {"q": "鲲鹏"}).json()["count"] == 0


def test_the_search_api_follows_a_lifecycle_step(client, cast, django_capture_on_commit_callbacks):
    """A selected innovation is published, so the public search finds it after the step."""
    from tests.reforms.test_lifecycle import scored, walk
    from zimao.reforms.lifecycle import innovation_transition

    draft = make_innovation("前海国际仲裁院调解对接", state="proposed")
    assert client.get("/api/search", {"q": "仲裁院"}).json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        walk(cast.zoe, draft, "piloting", "achieved", "submitted")
        draft = scored(cast.nina, Innovation.objects.get(pk=draft.pk))
        innovation_transition(
            user=cast.nina,
            innovation=draft,
            to_state="selected",
            reason="入选",
            selection="best_practice",
            version=draft.version,
        )
    assert client.get("/api/search", {"q": "仲裁院"}).json()["count"] == 1


# Hostile input: each one a regression test for a crash or a silent corruption seen before.


@pytest.mark.parametrize(
    "url",
    [
        "/api/zones?offset=9223372036854775808",
        "/api/zones?limit=0",
        "/api/batches?year=99999999999999999999",
        "/api/areas/9223372036854775808",
        "/api/documents/9223372036854775807",
        "/api/search?q=清单&offset=99999999999",
        "/api/implementation/history?months=100000",
        "/api/documents/1e20",
    ],
)
def test_out_of_range_numbers_are_a_422_naming_the_field(client, cast, url):
    client.force_login(cast.nina)
    response = client.get(url)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"] and all(e["field"] for e in body["errors"])


def test_an_endless_filter_is_refused(client):
    response = client.get("/api/items", {"q": "清" * 60000})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "q"


@pytest.mark.parametrize("page", ["1e20", "99999999999999999999", "-3", "abc"])
def test_a_silly_page_number_is_a_page(client, page):
    assert client.get("/search/", {"q": "清单", "page": page}).status_code == 200


def test_a_null_title_and_an_unknown_code_are_refused_by_name(client, cast):
    draft = make_innovation("南沙航运金融")
    client.force_login(cast.zoe)
    url = f"/api/innovations/{draft.pk}"
    null = send(client, "patch", url, {"version": 1, "title": None})
    assert null.status_code == 422 and null.json()["errors"][0]["field"] == "title"
    unknown = send(client, "patch", url, {"version": 1, "domain": "astrology"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "domain"
    assert Innovation.objects.get(pk=draft.pk).domain is not None  # nothing was cleared
    assert Innovation.objects.get(pk=draft.pk).version == 1


def test_an_impossible_date_is_refused(cast):
    item = ReplicationItem.objects.get(code="2019-investment-01")
    with pytest.raises(ValidationError, match="日期不存在"):
        adoption_set(
            user=cast.zoe,
            item=item,
            zone=Zone.objects.get(code="guangdong"),
            status="adopted",
            date="2019-02-30",
        )


@pytest.mark.parametrize(
    ("before", "after", "change", "field"),
    [
        (0, -5, None, "after"),
        (1e308, 1e308, None, "before"),
        (None, None, -150, "change_pct"),
        (float("nan"), 3, None, "before"),
        (None, None, float("inf"), "change_pct"),
    ],
)
def test_absurd_effects_are_refused(cast, before, after, change, field):
    draft = make_innovation("前海跨境执业")
    with pytest.raises(ValidationError) as refused:
        effect_add(
            user=cast.zoe,
            innovation=draft,
            measure="办理时间",
            before=before,
            after=after,
            change_pct=change,
        )
    assert field in refused.value.message_dict
    assert not Effect.objects.exists()


def test_a_form_sent_twice_creates_one_record(client, cast):
    client.force_login(cast.zoe)
    form = {
        "title": "南沙企业开办一网通办",
        "zone": Zone.objects.get(code="guangdong").pk,
        "token": "5f0c7d7e9b0c4d8a8c0e0d6d4b3a2f11",
    }
    first = client.post("/reforms/innovations/new/", form)
    second = client.post("/reforms/innovations/new/", form)
    assert Innovation.objects.filter(title="南沙企业开办一网通办").count() == 1
    assert first.url == second.url


def test_an_effect_form_sent_twice_records_one_effect(client, cast):
    draft = make_innovation("南沙企业开办一网通办")
    client.force_login(cast.zoe)
    form = {"measure": "开办时间", "before": 5, "after": 1, "token": "a" * 32}
    client.post(f"/reforms/innovations/{draft.pk}/effects/", form)
    client.post(f"/reforms/innovations/{draft.pk}/effects/", form)
    assert Effect.objects.filter(innovation=draft).count() == 1


def test_an_effect_form_error_keeps_the_input_and_names_the_field(client, cast):
    draft = make_innovation("南沙企业开办一网通办")
    client.force_login(cast.zoe)
    form = {"measure": "开办时间", "before": 5, "after": -1}
    response = client.post(f"/reforms/innovations/{draft.pk}/effects/", form)
    page = response.content.decode()
    assert response.status_code == 400 and "数值不能为负" in page
    assert 'value="开办时间"' in page and not Effect.objects.exists()


def test_spreadsheet_formulas_in_exports_stay_text(client, cast):
    submitted = make_innovation('=HYPERLINK("http://example.invalid","点我")', state="submitted")
    client.force_login(cast.nina)
    export = client.get("/reforms/shortlist/", {"format": "csv"}).getvalue().decode()
    assert "'=HYPERLINK" in export and '\n1,"=HYPERLINK' not in export
    assert "点我" in export and submitted.zone.name in export


def test_making_someone_a_superuser_in_the_admin_is_audited(client, cast):
    from zimao.accounts.models import User

    root = User.objects.create_superuser("root", password="pw-root-123")
    client.force_login(root)
    rita = cast.rita
    response = client.post(
        f"/admin/accounts/user/{rita.pk}/change/",
        {
            "username": "rita",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "display_name": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(record_type="accounts.user", action="admin_change")
    assert (event.before["is_superuser"], event.after["is_superuser"]) == (False, True)
    assert event.after["password"] == "******"


def test_scripts_act_as_a_named_system_actor(tmp_path):
    from django.core.management import call_command

    from zimao.accounts.models import User
    from zimao.zones.models import Plan

    plan = Plan.objects.filter(zone__code="jiangsu").first()
    path = tmp_path / "tasks.csv"
    path.write_text("编号,任务内容\n1,深化商事登记确认制改革\n", "utf-8")
    users = User.objects.count()
    call_command("import_tasks", str(path), "--plan", str(plan.pk))
    assert User.objects.count() == users  # no lasting account is made for the command line
    event = AuditEvent.objects.get(action="import")
    assert event.actor is None and event.actor_name == "system:import-tasks"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/items?q=%00abc", 422),
        ("/api/zones?province=%E5%B9%BF%00", 422),
        ("/reforms/implementation/?zone=%00", 400),
        ("/search/?q=%E6%B8%85%00", 400),
    ],
)
def test_a_nul_character_is_refused_at_the_door(client, url, status):
    """PostgreSQL cannot hold NUL: it is refused before any query, on both databases."""
    response = client.get(url)
    assert response.status_code == status
    if status == 422:
        assert response.json()["errors"][0]["message"]


def test_a_nul_character_in_a_body_is_refused(client, cast):
    draft = make_innovation("南沙航运金融")
    client.force_login(cast.zoe)
    response = send(
        client, "patch", f"/api/innovations/{draft.pk}", {"version": 1, "title": "a\x00b"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "title"
    assert Innovation.objects.get(pk=draft.pk).title == "南沙航运金融"
