"""The audit trail: global log with filters, per-record history, and no way to alter it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zimao.accounts.models import User
from zimao.audit.models import AuditEvent
from zimao.reforms.services import innovation_create, innovation_update
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast):
    return cast.nina, cast.zoe  # national office; Guangdong zone office


@pytest.fixture
def history(people):
    nina, zoe = people
    innovation = innovation_create(
        user=zoe, title="南沙国际贸易单一窗口", zone=Zone.objects.get(code="guangdong")
    )
    innovation_update(user=zoe, innovation=innovation, version=1, mechanism="一次申报")
    innovation_update(user=nina, innovation=innovation, version=2, published=True)
    return innovation


def test_the_log_filters_by_user_type_and_date(client, people, history):
    nina, _ = people
    client.force_login(nina)
    everything = client.get("/audit/").context["page"].object_list
    assert [e.action for e in everything] == ["update", "update", "create"]
    by_user = client.get("/audit/", {"user": "zoe"}).context["page"].object_list
    assert {e.actor.username for e in by_user} == {"zoe"} and len(by_user) == 2
    by_type = client.get("/audit/", {"record_type": "reforms.innovation"}).context["page"]
    assert by_type.paginator.count == 3
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.get("/audit/", {"since": tomorrow}).context["page"].paginator.count == 0


def test_a_record_shows_its_own_history(client, people, history):
    nina, _ = people
    client.force_login(nina)
    response = client.get(f"/audit/reforms.innovation/{history.pk}/")
    events = list(response.context["events"])
    assert len(events) == 3 and events[0].after["published"] is True
    assert "一次申报" in response.content.decode()


def test_each_office_reads_the_log_of_its_own_scope_only(client, people, history, cast):
    _, zoe = people
    client.force_login(zoe)  # the Guangdong office: its own innovation's events
    assert client.get("/audit/").context["page"].paginator.count == 3
    client.force_login(cast.otto)  # the Sichuan office: none of Guangdong's events
    page = client.get("/audit/")
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
    assert "南沙" not in client.get(f"/audit/reforms.innovation/{history.pk}/").content.decode()
    client.force_login(User.objects.create_user("bob", password="pw-bob-123"))
    assert client.get("/audit/").status_code == 403  # no membership: no log at all


def test_audit_events_cannot_be_edited_or_deleted_in_the_admin(client, history):
    admin = User.objects.create_superuser("root", password="pw-root-123")
    client.force_login(admin)
    event = AuditEvent.objects.first()
    assert client.get("/admin/audit/auditevent/").status_code == 200
    change = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "forged"})
    assert change.status_code == 403 or AuditEvent.objects.get(pk=event.pk).action != "forged"
    delete = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_changes_in_the_admin_are_audited_too(client):
    admin_user = User.objects.create_superuser("root", password="pw-root-123")
    client.force_login(admin_user)
    zone = Zone.objects.get(code="hainan")
    item = zone.originated_items.model.objects.first()
    response = client.post(
        f"/admin/replication/replicationitem/{item.pk}/change/",
        {
            "code": item.code,
            "batch": item.batch_id,
            "seq": item.seq,
            "title": item.title + "（修订）",
            "category_zh": item.category_zh,
            "domain": item.domain_id or "",
            "responsible_unit": item.responsible_unit,
            "scope_kind": item.scope_kind,
            "scope": item.scope,
            "source": item.source,
            "note": item.note,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin_change", record_type="replication.replicationitem")
    assert event.before["title"] == item.title and event.after["title"] == item.title + "（修订）"
    assert event.actor == admin_user
