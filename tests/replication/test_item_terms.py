"""The national office edits an item's editorial everyday words through the write path: search
follows, the wording stays marked as editorial, and a reference reload keeps it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import make_cast
from zimao.audit.models import AuditEvent
from zimao.reference.loader import load_reference
from zimao.replication.models import ReplicationItem
from zimao.replication.services import item_terms_update
from zimao.search.backends import Filters
from zimao.search.selectors import search

pytestmark = pytest.mark.django_db

CODE = "2019-trade-04"


def test_new_everyday_words_are_found_and_survive_a_reference_reload(
    django_capture_on_commit_callbacks,
):
    cast = make_cast()
    item = ReplicationItem.objects.get(code=CODE)
    assert not search("报关预排期", Filters(kind="item"), user=None).results
    with django_capture_on_commit_callbacks(execute=True):
        item_terms_update(
            user=cast.nina,
            item=item,
            description="提前约好时间办海关业务。",
            everyday_terms="报关预排期，约时间 约时间",
        )
    item.refresh_from_db()
    assert item.everyday_terms == "报关预排期；约时间" and item.terms_edited
    assert "编辑整理" in item.terms_source
    event = AuditEvent.objects.filter(record_id=str(item.pk), action="update").last()
    assert event is not None and event.after["everyday_terms"] == "报关预排期；约时间"
    found = search("报关预排期", Filters(kind="item"), user=None)
    assert found.results[0].entry.object_id == CODE and found.results[0].editorial
    load_reference(force=True)
    item.refresh_from_db()
    assert item.everyday_terms == "报关预排期；约时间"


def test_only_the_national_office_may_edit_and_overlong_words_are_refused():
    cast = make_cast()
    item = ReplicationItem.objects.get(code=CODE)
    with pytest.raises(PermissionDenied):
        item_terms_update(user=cast.zoe, item=item, description="", everyday_terms="约时间")
    with pytest.raises(ValidationError) as info:
        item_terms_update(user=cast.nina, item=item, description="", everyday_terms="词" * 2001)
    assert "everyday_terms" in info.value.message_dict
    item.refresh_from_db()
    assert not item.terms_edited


def test_the_item_page_offers_the_form_to_the_national_office_only(client):
    cast = make_cast()
    url = reverse("replication:item", args=[CODE])
    client.force_login(cast.zoe)
    assert 'id="terms-form"' not in client.get(url).content.decode()
    refused = client.post(reverse("replication:item_terms", args=[CODE]), {"everyday_terms": "x"})
    assert refused.status_code == 403
    client.force_login(cast.nina)
    assert 'id="terms-form"' in client.get(url).content.decode()
    saved = client.post(
        reverse("replication:item_terms", args=[CODE]),
        {"description": "", "everyday_terms": "约时间；排号"},
    )
    assert saved.status_code == 302
    assert ReplicationItem.objects.get(code=CODE).everyday_terms == "约时间；排号"
