"""Which zone has put which replicated item in place: recording, matrix, progress, API."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import person
from zimao.accounts.models import Role
from zimao.audit.models import AuditEvent
from zimao.audit.writes import EditConflict
from zimao.replication.models import Adoption, ReplicationItem
from zimao.replication.selectors import items_expected_of, zone_progress
from zimao.replication.services import adoption_set
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    user = person("zoe", Role.ZONE, zone=Zone.objects.get(code="henan"))
    return user


def test_the_items_a_zone_must_replicate_follow_their_scope():
    henan = Zone.objects.get(code="henan")
    expected = items_expected_of(henan.code, henan.province)
    assert expected.filter(scope_kind="nationwide").exists()
    provincial = ReplicationItem.objects.filter(scope_kind="provinces")
    named = [i for i in provincial if "河南" in i.scope]
    assert set(named) <= set(expected)


def test_recording_adoption_updates_progress_and_audits(office):
    henan = Zone.objects.get(code="henan")
    item = items_expected_of(henan.code, henan.province).first()
    before = zone_progress(henan.code, henan.province)
    adoption_set(user=office, item=item, zone=henan, status="in_progress")
    adoption = adoption_set(
        user=office,
        item=item,
        zone=henan,
        status="adopted",
        date="2021-06",
        evidence="已印发实施办法",
        version=1,
    )
    after = zone_progress(henan.code, henan.province)
    assert (after.expected, after.adopted) == (before.expected, before.adopted + 1)
    assert adoption.version == 2 and Adoption.objects.count() == 1
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["create", "update"]


def test_a_stale_adoption_edit_is_refused(office):
    henan = Zone.objects.get(code="henan")
    item = ReplicationItem.objects.first()
    adoption_set(user=office, item=item, zone=henan, status="in_progress")
    adoption_set(user=office, item=item, zone=henan, status="adopted", version=1)
    with pytest.raises(EditConflict):
        adoption_set(user=office, item=item, zone=henan, status="not_applicable", version=1)


def test_another_zone_is_out_of_reach(office):
    with pytest.raises(PermissionDenied):
        adoption_set(
            user=office,
            item=ReplicationItem.objects.first(),
            zone=Zone.objects.get(code="hubei"),
            status="adopted",
        )


def test_the_matrix_page_item_page_and_api(client, office):
    henan = Zone.objects.get(code="henan")
    item = ReplicationItem.objects.get(code="2019-investment-01")
    client.force_login(office)
    response = client.post(
        f"/replication/items/{item.code}/adoption/",
        {"zone": henan.pk, "status": "adopted", "date": "2020-03"},
    )
    assert response.status_code == 302
    html = client.get("/replication/coverage/", {"batch": "sc-5"}).content.decode()
    assert 'id="coverage"' in html and "✓" in html
    assert "河南" in client.get(item.get_absolute_url()).content.decode()
    progress = client.get("/api/zones/henan/progress").json()
    assert progress["adopted"] == 1 and progress["expected"] > 1
    adoptions = client.get("/api/adoptions", {"zone": "henan"}).json()
    assert adoptions["items"][0]["item"] == item.code
    bad = client.post(
        f"/replication/items/{item.code}/adoption/",
        {"zone": henan.pk, "status": "not_applicable", "date": "2020-02-30", "version": 1},
    )
    assert bad.status_code == 400 and "日期不存在" in bad.content.decode()
    assert 'value="2020-02-30"' in bad.content.decode()  # the input comes back
    assert Adoption.objects.get().date == "2020-03"


def test_progress_of_all_zones_at_once_agrees_with_each_zone(office):
    from zimao.replication.selectors import all_zone_progress

    henan = Zone.objects.get(code="henan")
    for item in items_expected_of(henan.code, henan.province)[:3]:
        adoption_set(user=office, item=item, zone=henan, status="adopted")
    zones = list(Zone.objects.all())
    assert all_zone_progress(zones) == [zone_progress(z.code, z.province) for z in zones]
    assert all_zone_progress(zones, "sc-5") == [
        zone_progress(z.code, z.province, "sc-5") for z in zones
    ]
