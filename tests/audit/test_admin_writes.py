"""The Django admin is one more door to the write path: an edit there (inline rows included) is
audited and moves the record's version, so an office still holding the older version is
refused instead of overwriting the admin's text."""

from typing import Any

import pytest

from tests.factories import make_effect, make_innovation
from zimao.accounts.models import User
from zimao.audit.models import AuditEvent
from zimao.reforms.models import Effect, Innovation
from zimao.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def form_data(page: Any) -> dict[str, Any]:
    """What a browser would send back from an admin change page, unchanged."""
    data: dict[str, Any] = {}

    def add(form: Any, prefix: str = "") -> None:
        for name in form.fields:
            key = f"{prefix}{name}"
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form, f"{formset.prefix}-")
        for index, form in enumerate(formset.forms):
            add(form, f"{formset.prefix}-{index}-")
    return data


@pytest.fixture
def root(client):
    user = User.objects.create_superuser("root", password="pw-root-123")
    client.force_login(user)
    return user


def test_an_admin_edit_of_an_effect_makes_an_older_api_write_stale(client, cast, root):
    innovation = make_innovation("港口危险货物集中查验", mechanism="海关与海事联合查验。")
    make_effect(innovation, before=72, after=37)
    loaded = Innovation.objects.get(pk=innovation.pk).version  # what the zone office holds
    url = f"/admin/reforms/innovation/{innovation.pk}/change/"
    data = form_data(client.get(url))
    data["effects-0-measure"] = "查验时间"
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert Effect.objects.get(innovation=innovation).measure == "查验时间"
    assert Innovation.objects.get(pk=innovation.pk).version == loaded + 1
    event = AuditEvent.objects.get(record_type="reforms.effect", action="admin_change")
    assert (event.before["measure"], event.after["measure"]) == ("通关时间", "查验时间")
    assert event.zone == "guangdong"  # scoped like the effect, so the zone office sees it

    client.force_login(cast.zoe)
    stale = client.patch(
        f"/api/innovations/{innovation.pk}",
        {"version": loaded, "mechanism": "改为单部门查验。"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert Innovation.objects.get(pk=innovation.pk).mechanism == "海关与海事联合查验。"


def test_an_admin_form_loaded_before_another_save_is_refused(client, root):
    innovation = make_innovation("港口危险货物集中查验")
    url = f"/admin/reforms/innovation/{innovation.pk}/change/"
    data = form_data(client.get(url))
    Innovation.objects.filter(pk=innovation.pk).update(title="他人先保存", version=2)
    data["title"] = "管理员的标题"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "该记录已被他人修改" in refused.content.decode()
    assert Innovation.objects.get(pk=innovation.pk).title == "他人先保存"
    assert not AuditEvent.objects.filter(action="admin_change").exists()


def test_an_admin_save_without_changes_keeps_the_version(client, root):
    innovation = make_innovation("港口危险货物集中查验")
    url = f"/admin/reforms/innovation/{innovation.pk}/change/"
    assert client.post(url, form_data(client.get(url))).status_code == 302
    assert Innovation.objects.get(pk=innovation.pk).version == 1
    assert not AuditEvent.objects.filter(action="admin_change").exists()


def test_an_admin_delete_is_audited_and_leaves_the_index(
    client, root, django_capture_on_commit_callbacks
):
    innovation = make_innovation("港口危险货物集中查验", published=True)
    assert SearchEntry.objects.filter(kind="innovation", object_id=str(innovation.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/reforms/innovation/{innovation.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Innovation.objects.filter(pk=innovation.pk).exists()
    event = AuditEvent.objects.get(action="admin_delete", record_type="reforms.innovation")
    assert event.before["title"] == "港口危险货物集中查验"
    assert not SearchEntry.objects.filter(kind="innovation", object_id=str(innovation.pk)).exists()


def test_a_delete_left_queued_is_finished_from_the_records_keys(db):
    """A process that died between a delete's commit and its index update: the retry removes
    the entries from the keys it queued, the record itself being gone."""
    from django.db import connection, transaction

    from zimao.audit.models import PendingChange
    from zimao.audit.writes import reindex_after_commit, retry_pending

    innovation = make_innovation("港口危险货物集中查验", published=True)
    with transaction.atomic():
        reindex_after_commit(innovation, deleted=True)
        Innovation.objects.filter(pk=innovation.pk)._raw_delete(Innovation.objects.db)
    connection.run_on_commit.clear()  # the after-commit work never ran
    queued = PendingChange.objects.get(record_id=str(innovation.pk))
    assert set(queued.state) == {"id"}  # keys only, nothing else of the record
    assert SearchEntry.objects.filter(kind="innovation", object_id=str(innovation.pk)).exists()
    assert retry_pending() == 1
    assert not SearchEntry.objects.filter(kind="innovation", object_id=str(innovation.pk)).exists()
    assert not PendingChange.objects.exists()
