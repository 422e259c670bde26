"""Uploading, reviewing facts and feeding them into the catalogue through the web pages."""

import pytest
from django.test import Client

from tests.factories import run_queued_jobs
from tests.text.builders import SAMPLE
from zimao.audit.models import AuditEvent
from zimao.documents.analysis import analyse_bytes
from zimao.documents.models import Document
from zimao.documents.services import document_store
from zimao.reforms.models import Effect, Innovation
from zimao.replication.models import ReplicationBatch, ReplicationItem

pytestmark = pytest.mark.django_db

CASE_TEXT = (
    "通关便利化典型案例\n"
    "广东自贸试验区探索跨境货物通关一体化新模式。\n"
    "改革后，通关时间从72小时压缩到37小时。\n"
    "附表 1 改革事项\n"
    "序号 改革事项 负责单位 推广范围\n"
    "1 跨境结算便利化 人民银行 全国\n"
)


def upload(client: Client, name: str, data: bytes):
    """Upload one file: the answer is the job's page at once; the job then runs (here, in this
    process) and the response returned is that page, pointing at the document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/documents/upload/", {"file": SimpleUploadedFile(name, data)})
    if response.status_code != 302:
        return response
    assert response.url.startswith("/jobs/")
    run_queued_jobs()
    return response


@pytest.fixture
def document(media, reviewer) -> Document:
    data = CASE_TEXT.encode()
    return document_store(
        analysis=analyse_bytes("cases.txt", data), data=data, user=reviewer
    ).document


def test_an_upload_is_stored_and_shown_with_highlights(client, reviewer, media):
    client.force_login(reviewer)
    response = upload(client, "notice.txt", SAMPLE.encode("utf-16"))
    document = Document.objects.get()
    job = client.get(response.url).content.decode()
    assert f'href="{document.get_absolute_url()}"' in job and "已导入，共提取" in job
    page = client.get(document.get_absolute_url()).content.decode()
    assert '<mark class="f-zone"' in page
    assert document.encoding == "utf-16"


def test_an_oversized_upload_is_refused_with_a_message(client, reviewer, media, settings):
    settings.MAX_UPLOAD_MB = 1
    client.force_login(reviewer)
    response = upload(client, "big.txt", b"a" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert not Document.objects.exists()


def test_an_unreadable_upload_is_recorded_as_failed(client, reviewer, media):
    client.force_login(reviewer)
    response = upload(client, "junk.txt", bytes(range(256)) * 20)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.status == "failed" and not document.facts.exists()
    for url in (response.url, document.get_absolute_url()):  # the job's page, the document's
        page = client.get(url).content.decode()
        assert "不是可识别的文本文件" in page and "not a text document" not in page


def test_uploading_the_same_file_twice_keeps_one_record(client, reviewer, media):
    client.force_login(reviewer)
    upload(client, "a.txt", SAMPLE.encode())
    upload(client, "copy-of-a.txt", SAMPLE.encode())
    assert Document.objects.count() == 1


def test_readers_may_not_upload_or_review(client, reader, cast, document):
    client.force_login(reader)
    assert upload(client, "a.txt", b"x").status_code == 403
    fact = document.facts.first()
    assert (
        client.post(f"/documents/facts/{fact.pk}/review/", {"action": "accept"}).status_code == 404
    )
    client.force_login(cast.rita)  # a researcher reads documents but reviews nothing
    assert (
        client.post(f"/documents/facts/{fact.pk}/review/", {"action": "accept"}).status_code == 403
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, document):
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url


def test_accept_reject_and_correct_are_audited(client, reviewer, document):
    client.force_login(reviewer)
    quantity = document.facts.filter(type="quantity").first()
    client.post(f"/documents/facts/{quantity.pk}/review/", {"action": "accept"})
    client.post(
        f"/documents/facts/{quantity.pk}/review/",
        {
            "action": "correct",
            f"fact-{quantity.pk}-value": "36",
            f"fact-{quantity.pk}-unit": "小时",
        },
    )
    quantity.refresh_from_db()
    assert quantity.state == "corrected" and quantity.payload["value"] == 36
    assert quantity.payload["unit"] == "小时"
    assert quantity.reviewed_by == reviewer
    events = AuditEvent.objects.filter(record_type="documents.fact", record_id=str(quantity.pk))
    assert [e.action for e in events.order_by("id")] == ["fact_accept", "fact_correct"]
    assert events.order_by("id").last().before["state"] == "accepted"


def test_a_bad_correction_changes_nothing(client, reviewer, document):
    """A wrong value comes back next to its field, with the reviewer's input kept."""
    client.force_login(reviewer)
    fact = document.facts.filter(type="quantity").first()
    before = (fact.state, fact.payload)
    prefix = f"fact-{fact.pk}"
    for data, message in [
        ({f"{prefix}-value": "七十二"}, "输入一个数字"),
        ({f"{prefix}-value": "1e99"}, "1000000000000"),
        ({f"{prefix}-value": str(fact.payload["value"])}, "未修改任何内容"),
    ]:
        response = client.post(f"/documents/facts/{fact.pk}/review/", {"action": "correct", **data})
        page = response.content.decode()
        assert response.status_code == 400 and message in page
        assert f'name="{prefix}-value"' in page
        assert f'value="{data[f"{prefix}-value"]}"' in page
        fact.refresh_from_db()
        assert (fact.state, fact.payload) == before
    assert not AuditEvent.objects.filter(record_type="documents.fact").exists()


def test_a_date_and_a_zone_are_corrected_with_their_own_fields(client, reviewer, document):
    client.force_login(reviewer)
    zone = document.facts.filter(type="zone").first()
    response = client.post(
        f"/documents/facts/{zone.pk}/review/",
        {"action": "correct", f"fact-{zone.pk}-zone": "atlantis"},
    )
    assert response.status_code == 400 and "有效的选项" in response.content.decode()
    client.post(
        f"/documents/facts/{zone.pk}/review/",
        {"action": "correct", f"fact-{zone.pk}-zone": "sichuan"},
    )
    zone.refresh_from_db()
    assert (zone.state, zone.payload["zone"]) == ("corrected", "sichuan")
    page = client.get(document.get_absolute_url()).content.decode()
    assert "四川自贸试验区" in page and "{&#x27;" not in page


def test_facts_are_accepted_and_rejected_in_bulk(client, reviewer, document):
    client.force_login(reviewer)
    first, second, *_ = document.facts.order_by("id")
    response = client.post(
        f"/documents/{document.pk}/review/", {"action": "accept", "facts": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    states = set(
        document.facts.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == {"accepted"}
    events = AuditEvent.objects.filter(record_type="documents.fact", action="fact_accept")
    assert events.count() == 2
    nothing = client.post(f"/documents/{document.pk}/review/", {"action": "reject"}, follow=True)
    assert "请先勾选要处理的事实" in nothing.content.decode()


def test_a_case_creates_an_innovation_and_an_effect_attaches_to_it(client, reviewer, document):
    client.force_login(reviewer)
    case = document.facts.get(type="case", text__startswith="广东")
    effect = document.facts.get(type="effect")
    for fact in (case, effect):
        client.post(f"/documents/facts/{fact.pk}/review/", {"action": "accept"})
    client.post(f"/documents/facts/{case.pk}/link/innovation/", {"innovation": ""})
    innovation = Innovation.objects.get()
    assert innovation.zone.code == "guangdong"
    client.post(f"/documents/facts/{effect.pk}/link/innovation/", {"innovation": innovation.pk})
    measured = Effect.objects.get(innovation=innovation)
    assert (measured.before, measured.after, measured.unit) == (72, 37, "小时")
    assert measured.source_fact == effect


def test_a_pending_fact_cannot_feed_the_catalogue(client, reviewer, document):
    client.force_login(reviewer)
    case = document.facts.filter(type="case").first()
    response = client.post(
        f"/documents/facts/{case.pk}/link/innovation/", {"innovation": ""}, follow=True
    )
    assert "请先采纳或更正该事实" in response.content.decode()
    assert not Innovation.objects.exists()


def test_a_table_row_creates_then_updates_a_replication_item(client, reviewer, document):
    client.force_login(reviewer)
    row = document.facts.get(type="table_row")
    batch = ReplicationBatch.objects.get(code="sc-5")
    client.post(f"/documents/facts/{row.pk}/review/", {"action": "accept"})
    client.post(f"/documents/facts/{row.pk}/link/item/", {"batch": batch.pk})
    item = ReplicationItem.objects.get(batch=batch, title="跨境结算便利化")
    assert (item.responsible_unit, item.scope_kind) == ("人民银行", "nationwide")
    client.post(
        f"/documents/facts/{row.pk}/review/",
        {"action": "correct", f"fact-{row.pk}-scope": "自贸试验区"},
    )
    client.post(f"/documents/facts/{row.pk}/link/item/", {"batch": batch.pk})
    item.refresh_from_db()
    assert item.scope_kind == "ftz"
    assert ReplicationItem.objects.filter(title="跨境结算便利化").count() == 1
    actions = AuditEvent.objects.filter(record_type="replication.replicationitem").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["create", "update"]


def test_a_user_signs_in_on_the_login_page(client, reviewer):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "pw-alice-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/workbench/"
    assert response.context["user"] == reviewer
    wrong = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()


def test_a_failed_document_is_retried_or_deleted_by_its_office(client, cast, media):
    from tests.factories import person as member
    from zimao.accounts.models import Role
    from zimao.zones.models import Zone

    carol = member("carol", Role.ZONE, zone=Zone.objects.get(code="guangdong"))
    client.force_login(carol)
    upload(client, "junk.txt", bytes(range(256)) * 20)
    failed = Document.objects.get()
    page = client.get(failed.get_absolute_url()).content.decode()
    assert 'id="retry-form"' in page and 'id="delete-form"' in page
    client.force_login(cast.otto)  # another zone's office reads documents, deletes none
    assert client.post(f"/documents/{failed.pk}/delete/").status_code == 403
    assert 'id="delete-form"' not in client.get(failed.get_absolute_url()).content.decode()
    client.force_login(carol)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fixed = SimpleUploadedFile("fixed.txt", SAMPLE.encode())
    response = client.post(f"/documents/{failed.pk}/retry/", {"file": fixed})
    assert response["Location"].startswith("/jobs/")
    assert Document.objects.get().status == "failed"  # nothing read inside the request
    run_queued_jobs()
    document = Document.objects.get()
    assert document.status == "processed"
    job = client.get(response["Location"]).content.decode()
    assert f'href="{document.get_absolute_url()}"' in job
    assert AuditEvent.objects.filter(record_type="documents.document", action="delete").count() == 1
    upload(client, "junk2.txt", bytes(range(255, -1, -1)) * 20)
    again = Document.objects.get(status="failed")
    assert client.post(f"/documents/{document.pk}/delete/", follow=True).status_code == 200
    assert Document.objects.filter(pk=document.pk).exists()  # only failed ones are deleted
    client.post(f"/documents/{again.pk}/delete/")
    assert not Document.objects.filter(pk=again.pk).exists()


AREA_CASE_TEXT = (
    "制度创新案例汇编\n"
    "四川自贸试验区成都天府新区片区推行跨境电商退货一站式办理。\n"
    "成都天府新区片区设立集中退货仓，退货办理时间从15天压缩到3天。\n"
)


def test_a_case_of_one_area_keeps_its_area_on_the_innovation(client, reviewer, media):
    """An innovation made from a case of one area (片区) belongs to that area, so the area
    office finds it and its report counts it."""
    data = AREA_CASE_TEXT.encode()
    stored = document_store(analysis=analyse_bytes("area.txt", data), data=data, user=reviewer)
    case = stored.document.facts.get(type="case", text__startswith="四川")
    client.force_login(reviewer)
    client.post(f"/documents/facts/{case.pk}/review/", {"action": "accept"})
    client.post(f"/documents/facts/{case.pk}/link/innovation/", {"innovation": ""})
    innovation = Innovation.objects.get()
    assert (innovation.zone.code, innovation.area.name_zh) == ("sichuan", "成都天府新区片区")


def test_a_case_of_a_zone_naming_no_single_area_stays_with_the_zone(client, reviewer, document):
    client.force_login(reviewer)
    case = document.facts.get(type="case", text__startswith="广东")
    client.post(f"/documents/facts/{case.pk}/review/", {"action": "accept"})
    client.post(f"/documents/facts/{case.pk}/link/innovation/", {"innovation": ""})
    assert Innovation.objects.get().area is None
