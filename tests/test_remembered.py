"""Signed-in pages keep their costly parts (workbench panels, a plan's task table, an
innovation's history, the search form, the header) per viewer until the data they read
changes (zimao.lib.pagecache.remembered): never stale after a write, never shown to someone
with another scope."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_innovation, make_task
from zimao.lib import pagecache
from zimao.reforms.services import task_update

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }


def get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    html = TOKEN.sub("", response.content.decode())  # a form token is masked anew each time
    return html, len(queries.captured_queries)


def committed(capture, action):
    connection.run_on_commit.clear()  # the set-up's transaction never commits; a real one would
    with capture(execute=True):
        return action()


def test_the_workbench_is_remembered_and_follows_a_status_change(
    cast, client, page_cache, django_capture_on_commit_callbacks
):
    task = make_task("T-记忆-1")
    make_task("T-记忆-2")
    client.force_login(cast.zoe)
    first, first_queries = get(client, "/workbench/")
    again, again_queries = get(client, "/workbench/")
    assert again == first and again_queries < first_queries
    assert "已实施 0 项" in again
    committed(
        django_capture_on_commit_callbacks,
        lambda: task_update(
            user=cast.zoe,
            task=task,
            version=task.version,
            status="implemented",
            evidence="已印发实施细则",
        ),
    )
    fresh, _ = get(client, "/workbench/")
    assert "已实施 1 项" in fresh


def test_a_plan_page_follows_a_change_and_keeps_each_viewer_apart(
    cast, client, page_cache, django_capture_on_commit_callbacks
):
    task = make_task("T-记忆-3")
    path = f"/reforms/plans/{task.plan_id}/"
    client.force_login(cast.zoe)
    mine, _ = get(client, path)
    assert f"/reforms/tasks/{task.pk}/edit/" in mine  # the home zone's office may edit it
    client.force_login(cast.otto)  # another zone's office: same page, no edit link
    theirs, _ = get(client, path)
    assert f'id="task-{task.pk}"' in theirs
    assert f"/reforms/tasks/{task.pk}/edit/" not in theirs
    client.force_login(cast.zoe)
    committed(
        django_capture_on_commit_callbacks,
        lambda: task_update(
            user=cast.zoe, task=task, version=task.version, evidence="已在全市推开，形成工作指引"
        ),
    )
    fresh, _ = get(client, path)
    assert "已在全市推开" in fresh
    client.force_login(cast.otto)
    assert "已在全市推开" in get(client, path)[0]


def test_an_innovation_page_follows_a_step_in_its_history(
    cast, client, page_cache, django_capture_on_commit_callbacks
):
    from zimao.reforms.lifecycle import innovation_transition

    innovation = make_innovation("保税维修负面清单管理", published=True)
    path = f"/reforms/innovations/{innovation.pk}/"
    client.force_login(cast.zoe)
    before, _ = get(client, path)
    assert "流转记录" not in before
    committed(
        django_capture_on_commit_callbacks,
        lambda: innovation_transition(
            user=cast.zoe,
            innovation=innovation,
            to_state="piloting",
            version=innovation.version,
            reason="进入试点，先在两个片区运行",
        ),
    )
    after, _ = get(client, path)
    assert "进入试点，先在两个片区运行" in after


def test_each_language_is_kept_apart(cast, client, page_cache):
    task = make_task("T-记忆-4")
    client.force_login(cast.zoe)
    chinese, _ = get(client, f"/reforms/plans/{task.plan_id}/")
    client.cookies["django_language"] = "en"
    english, _ = get(client, f"/reforms/plans/{task.plan_id}/")
    assert "更新进展" in chinese and "更新进展" not in english


def test_reading_audit_events_depends_on_every_change(db, page_cache):
    from zimao.audit.models import AuditEvent

    calls = []

    def build():
        calls.append(1)
        return AuditEvent.objects.count()

    assert pagecache.remembered("test.audit", "k", build) == 0
    pagecache.remembered("test.audit", "k", build)
    assert len(calls) == 1
    pagecache.bump([pagecache.ANY])  # what every followed write does
    pagecache.remembered("test.audit", "k", build)
    assert len(calls) == 2


def test_a_plan_pages_filters_and_the_day_are_part_of_what_is_remembered(
    cast, client, page_cache, settings
):
    """The remembered task table differs by unit and deadline filter, and by the day (a task
    turns overdue overnight without any write)."""
    from datetime import date

    from zimao.reforms.models import PilotTask

    task = make_task("T-记忆-9")
    PilotTask.objects.filter(pk=task.pk).update(due_date=date(2026, 5, 10))
    path = f"/reforms/plans/{task.plan_id}/"
    client.force_login(cast.zoe)
    settings.TODAY = date(2026, 5, 1)
    before, _ = get(client, path)
    assert f'id="task-{task.pk}"' in before and "badge-danger" not in before
    overdue_list, _ = get(client, path + "?due=overdue")
    assert f'id="task-{task.pk}"' not in overdue_list  # not overdue on 1 May
    settings.TODAY = date(2026, 5, 11)
    after, _ = get(client, path)
    assert "badge-danger" in after
    overdue_list, _ = get(client, path + "?due=overdue")
    assert f'id="task-{task.pk}"' in overdue_list


def test_the_implementation_rates_are_remembered_until_a_task_changes(
    cast, client, page_cache, django_capture_on_commit_callbacks
):
    task = make_task("T-记忆-率")
    zone = task.plan.zone.code
    path = f"/api/implementation/history?zone={zone}&months=2"

    def latest(response_json):
        return response_json[-1]["implemented"]

    with CaptureQueriesContext(connection) as first_queries:
        before = client.get(path).json()
    with CaptureQueriesContext(connection) as again_queries:
        assert client.get(path).json() == before
    assert len(again_queries) < len(first_queries)
    page, page_queries = get(client, "/reforms/implementation/")
    assert get(client, "/reforms/implementation/")[1] < page_queries
    committed(
        django_capture_on_commit_callbacks,
        lambda: task_update(
            user=cast.zoe,
            task=task,
            version=task.version,
            status="implemented",
            evidence="已印发实施细则",
        ),
    )
    assert latest(client.get(path).json()) == latest(before) + 1
    by_zone = {r["key"]: r["implemented"] for r in client.get("/api/implementation").json()}
    assert by_zone[zone] == latest(before) + 1
    assert get(client, "/reforms/implementation/")[0] != page
