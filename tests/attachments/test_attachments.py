"""Attachments: what is accepted, what is refused (and why), who may read, add and remove
them, and that a file and its row always come and go together."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.attachments import samples
from tests.factories import make_innovation, make_task
from zimao.attachments.models import AdoptionAttachment, InnovationAttachment, TaskAttachment
from zimao.attachments.services import attachment_add, attachment_delete
from zimao.audit.models import AuditEvent
from zimao.audit.writes import EditConflict
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import Adoption, ReplicationItem
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


def stored_files(var_dir: Path) -> list[Path]:
    folder = var_dir / "media" / "attachments"
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def adoption():
    return Adoption.objects.create(
        item=ReplicationItem.objects.get(code="2019-investment-01"),
        zone=Zone.objects.get(code="guangdong"),
        status=Adoption.Status.IN_PROGRESS,
        date="2024-03",
    )


ACCEPTED = [
    ("进展.pdf", samples.pdf, "pdf", "application/pdf"),
    ("进展.docx", samples.docx, "docx", "wordprocessingml"),
    ("台账.xlsx", samples.xlsx, "xlsx", "spreadsheetml"),
    ("现场.png", samples.png, "png", "image/png"),
    ("现场.jpg", samples.jpeg, "jpeg", "image/jpeg"),
    ("说明.txt", lambda: samples.TEXT, "txt", "text/plain"),
]


@pytest.mark.parametrize(("name", "build", "kind", "content_type"), ACCEPTED)
def test_each_accepted_kind_is_stored_and_served_back_as_an_attachment(
    cast, var_dir, name, build, kind, content_type
):
    task = make_task("A-1")
    data = build()
    saved = attachment_add(user=cast.zoe, record=task, name=name, data=data)
    assert (saved.kind, saved.size, saved.name) == (kind, len(data), name)
    assert len(stored_files(var_dir)) == 1
    response = Client().get(saved.get_absolute_url())  # tasks are public: so are their files
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert content_type in response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name)}" in disposition


REFUSED = [
    ("empty.txt", b"", "为空"),
    ("报告.pdf", samples.EXE, "可执行程序"),
    ("截图.png", samples.HTML, "HTML"),
    ("图标.png", samples.SVG, "SVG"),
    ("说明.txt", samples.EICAR, "EICAR"),
    ("说明.txt", b"\xef\xbb\xbf" + samples.EICAR + b"\n", "EICAR"),
    ("清理.txt", samples.SCRIPT, "脚本"),
    ("材料.zip", samples.plain_zip(), "压缩包"),
    ("材料.docx", samples.plain_zip(), "压缩包"),
    ("宏.docx", samples.with_macros(samples.docx()), "宏"),
    ("脚本.pdf", samples.pdf_with_script(), "脚本"),
    ("隐藏脚本.pdf", samples.pdf_with_hidden_script(), "脚本"),
    ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Office"),
    ("压缩.pdf", b"\x1f\x8b\x08\x00" + b"\x00" * 40, "压缩包"),
]


@pytest.mark.parametrize(
    ("name", "data", "rule"), REFUSED, ids=[f"{name}-{rule}" for name, _, rule in REFUSED]
)
def test_refused_files_name_their_rule_and_leave_nothing(cast, var_dir, name, data, rule):
    task = make_task("A-2")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        attachment_add(user=cast.zoe, record=task, name=name, data=data)
    assert rule in " ".join(refused.value.messages)
    assert not TaskAttachment.objects.exists()
    assert stored_files(var_dir) == []
    assert AuditEvent.objects.count() == events


def test_an_oversized_file_is_refused_naming_the_limit(cast, var_dir, settings):
    settings.ATTACHMENT_MAX_MB = 1
    task = make_task("A-3")
    with pytest.raises(ValidationError, match="不能超过 1 MB"):
        attachment_add(user=cast.zoe, record=task, name="大.txt", data=b"a" * (1024 * 1024 + 1))
    attachment_add(user=cast.zoe, record=task, name="刚好.txt", data=b"a" * (1024 * 1024))
    assert TaskAttachment.objects.count() == 1


def test_a_hostile_file_name_is_cleaned_and_the_download_name_is_safe(cast, var_dir):
    task = make_task("A-4")
    raw = "../../etc/\x00pa\x1bss\u202ewd\r\n.txt"
    saved = attachment_add(user=cast.zoe, record=task, name=raw, data=samples.TEXT)
    assert saved.name == "passwd.txt"
    assert [p.parent.parent for p in stored_files(var_dir)] == [var_dir / "media" / "attachments"]
    disguised = attachment_add(
        user=cast.zoe, record=task, name="..\\..\\图.exe", data=samples.png()
    )
    assert disguised.name == "图.exe.png"  # the sniffed type names the file, not the upload
    response = Client().get(disguised.get_absolute_url())
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert 'filename="_.exe.png"' in disposition
    assert "filename*=UTF-8''%E5%9B%BE.exe.png" in disposition


def test_an_innovation_draft_file_is_read_only_by_those_who_read_the_draft(cast, var_dir):
    draft = make_innovation("粤草案附件", "guangdong")
    saved = attachment_add(user=cast.zoe, record=draft, name="草案.txt", data=samples.TEXT)
    url = saved.get_absolute_url()
    for who, status in [("zoe", 200), ("paul", 200), ("nina", 200), ("rita", 200)]:
        assert signed_in(getattr(cast, who)).get(url).status_code == status, who
    for who in ("otto", "ada"):
        response = signed_in(getattr(cast, who)).get(url)
        assert response.status_code == 404, who
    assert Client().get(url).status_code == 404
    api = f"/api/attachments/innovation/files/{saved.pk}"
    assert Client().get(api).status_code == 404
    assert signed_in(cast.otto).get(f"/api/attachments/innovation/{draft.pk}").status_code == 404
    Innovation.objects.filter(pk=draft.pk).update(published=True)
    assert Client().get(url).status_code == 200


def test_only_the_offices_of_the_record_may_add_or_remove(cast, var_dir, adoption):
    task = make_task("A-5")
    for who in ("otto", "rita", "public"):
        with pytest.raises(PermissionDenied):
            attachment_add(user=getattr(cast, who), record=task, name="x.txt", data=b"x")
        with pytest.raises(PermissionDenied):
            attachment_add(user=getattr(cast, who), record=adoption, name="x.txt", data=b"x")
    assert stored_files(var_dir) == []
    saved = attachment_add(user=cast.paul, record=adoption, name="落地.txt", data=samples.TEXT)
    with pytest.raises(PermissionDenied):
        attachment_delete(user=cast.otto, attachment=saved)
    response = signed_in(cast.otto).post(f"/attachments/adoption/{saved.pk}/delete/")
    assert response.status_code == 403
    assert AdoptionAttachment.objects.filter(pk=saved.pk).exists()


def test_upload_and_delete_on_the_pages_are_audited_on_the_record(
    cast, var_dir, django_capture_on_commit_callbacks
):
    task = make_task("A-6")
    client = signed_in(cast.zoe)
    page = client.get(f"/reforms/tasks/{task.pk}/edit/").content.decode()
    assert f'action="/attachments/upload/task/{task.pk}/"' in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("台账.xlsx", samples.xlsx())
    response = client.post(f"/attachments/upload/task/{task.pk}/", {"file": upload})
    assert response.status_code == 302
    saved = TaskAttachment.objects.get(target=task)
    assert AuditEvent.objects.filter(
        record_type="reforms.pilottask", record_id=str(task.pk), action="attach"
    ).exists()
    plan_page = Client().get(f"/reforms/plans/{task.plan_id}/").content.decode()
    assert saved.get_absolute_url() in plan_page and "台账.xlsx" in plan_page
    bad = SimpleUploadedFile("截图.png", samples.HTML)
    refused = client.post(f"/attachments/upload/task/{task.pk}/", {"file": bad}, follow=True)
    assert "HTML" in refused.content.decode()
    assert TaskAttachment.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/attachments/task/{saved.pk}/delete/")
    assert not TaskAttachment.objects.exists()
    assert stored_files(var_dir) == []  # the last row naming the content is gone: so is the file
    assert AuditEvent.objects.filter(record_id=str(task.pk), action="detach").exists()


def test_a_file_shared_by_two_records_stays_until_the_last_one_goes(
    cast, var_dir, django_capture_on_commit_callbacks
):
    one, two = make_task("A-7"), make_task("A-8")
    first = attachment_add(user=cast.zoe, record=one, name="a.txt", data=samples.TEXT)
    second = attachment_add(user=cast.zoe, record=two, name="b.txt", data=samples.TEXT)
    assert len(stored_files(var_dir)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(user=cast.zoe, attachment=first)
    assert len(stored_files(var_dir)) == 1
    assert Client().get(second.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(user=cast.zoe, attachment=second)
    assert stored_files(var_dir) == []


@pytest.mark.django_db(transaction=True)
def test_a_row_that_cannot_be_written_leaves_no_file(var_dir):
    """The record is deleted after it was loaded: the attachment row fails its foreign key at
    commit, and the file written just before it is removed again."""
    from tests.factories import make_cast

    cast = make_cast()
    draft = make_innovation("即将删除的草案", "guangdong")
    Innovation.objects.filter(pk=draft.pk).delete()
    with pytest.raises(EditConflict):
        attachment_add(user=cast.zoe, record=draft, name="x.txt", data=samples.TEXT)
    assert not InnovationAttachment.objects.exists()
    assert stored_files(var_dir) == []


def test_a_file_that_cannot_be_written_leaves_no_row(cast, var_dir):
    import hashlib

    task = make_task("A-9")
    prefix = hashlib.sha256(samples.TEXT).hexdigest()[:2]
    folder = var_dir / "media" / "attachments"
    folder.mkdir(parents=True)
    (folder / prefix).write_text("not a folder")  # where the file's folder should be
    with pytest.raises(ValidationError, match="未能写入存储"):
        attachment_add(user=cast.zoe, record=task, name="x.txt", data=samples.TEXT)
    assert not TaskAttachment.objects.exists()


def test_a_selected_innovation_takes_no_files_and_no_evidence_until_reopened(cast, var_dir):
    from tests.factories import make_document

    selected = make_innovation("已入选的改革", "guangdong", state=Innovation.State.SELECTED)
    with pytest.raises(ValidationError, match="已锁定"):
        attachment_add(user=cast.zoe, record=selected, name="x.txt", data=samples.TEXT)
    client = signed_in(cast.zoe)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/attachments/upload/innovation/{selected.pk}/",
        {"file": SimpleUploadedFile("x.txt", samples.TEXT)},
        follow=True,
    )
    assert "已锁定" in response.content.decode()
    assert not InnovationAttachment.objects.exists()
    assert f"/attachments/upload/innovation/{selected.pk}/" not in response.content.decode()
    document = make_document("广东自贸试验区通关时间压缩一半。", title="佐证")
    response = client.post(
        f"/documents/evidence/innovations/{selected.pk}/", {"document": document.pk}, follow=True
    )
    assert "已锁定" in response.content.decode()
    assert not selected.documents.exists()


def test_implemented_needs_evidence_text_or_a_file(
    cast, var_dir, django_capture_on_commit_callbacks
):
    from zimao.reforms.services import task_update

    task = make_task("E-1")
    with pytest.raises(ValidationError, match="须有佐证"):
        task_update(user=cast.zoe, task=task, version=task.version, status="implemented")
    client = signed_in(cast.zoe)
    form = {"status": "implemented", "evidence": "  ", "responsible_units": "", "version": 1}
    page = client.post(f"/reforms/tasks/{task.pk}/edit/", form)
    assert page.status_code == 400 and "须有佐证" in page.content.decode()
    api = client.post(
        f"/api/tasks/{task.pk}/progress",
        {"status": "implemented", "version": 1},
        content_type="application/json",
    )
    assert api.status_code == 422 and "须有佐证" in api.content.decode()
    task.refresh_from_db()
    assert task.status == PilotTask.Status.NOT_STARTED
    saved = attachment_add(user=cast.zoe, record=task, name="验收.pdf", data=samples.pdf())
    task_update(user=cast.zoe, task=task, version=task.version, status="implemented")
    assert task.status == PilotTask.Status.IMPLEMENTED
    with pytest.raises(ValidationError, match="须保留佐证"):
        attachment_delete(user=cast.zoe, attachment=saved)
    task_update(user=cast.zoe, task=task, version=task.version, evidence="已通过验收")
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(user=cast.zoe, attachment=saved)
    assert not TaskAttachment.objects.exists()


def test_the_api_lists_uploads_and_downloads(cast, var_dir, adoption):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(cast.zoe)
    url = f"/api/attachments/adoption/{adoption.pk}"
    bad = client.post(url, {"file": SimpleUploadedFile("a.pdf", samples.EXE)})
    assert bad.status_code == 422 and "可执行程序" in bad.json()["detail"] + str(bad.json())
    data = samples.docx()
    made = client.post(url, {"file": SimpleUploadedFile("落地.docx", data)})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind"] == "docx" and body["name"] == "落地.docx"
    listed = Client().get(url).json()
    assert [a["id"] for a in listed] == [body["id"]]
    file = Client().get(f"/api/attachments/adoption/files/{body['id']}")
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    assert b"".join(file.streaming_content) == data
    assert Client().post(url, {"file": SimpleUploadedFile("x.txt", b"x")}).status_code == 401
    gone = f"/api/attachments/adoption/files/{body['id']}"
    assert signed_in(cast.otto).delete(gone).status_code == 403
    assert Client().delete(gone).status_code == 401
    assert client.delete(gone).status_code == 204
    assert Client().get(url).json() == []
    schema = Client().get("/api/openapi.json").json()
    assert {
        "/api/attachments/{kind}/{record_id}",
        "/api/attachments/{kind}/files/{attachment_id}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/attachments/{kind}/files/{attachment_id}"]) == {
        "get",
        "delete",
    }


def test_the_innovation_and_adoption_pages_list_files_and_offer_upload_to_their_offices(
    cast, var_dir, adoption
):
    draft = make_innovation("粤页面附件", "guangdong")
    attachment_add(user=cast.zoe, record=draft, name="方案.docx", data=samples.docx())
    attachment_add(user=cast.zoe, record=adoption, name="落地证明.pdf", data=samples.pdf())
    own = signed_in(cast.zoe).get(f"/reforms/innovations/{draft.pk}/").content.decode()
    assert "方案.docx" in own and f"/attachments/upload/innovation/{draft.pk}/" in own
    reader = signed_in(cast.rita).get(f"/reforms/innovations/{draft.pk}/").content.decode()
    assert "方案.docx" in reader and "/attachments/upload/" not in reader
    item = f"/replication/items/{adoption.item.code}/"
    office = signed_in(cast.zoe).get(item).content.decode()
    assert "落地证明.pdf" in office and f"/attachments/upload/adoption/{adoption.pk}/" in office
    public = Client().get(item).content.decode()
    assert "落地证明.pdf" in public and "/attachments/upload/" not in public


def test_an_oversized_upload_on_the_page_is_refused_and_nothing_is_kept(cast, var_dir, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ATTACHMENT_MAX_MB = 1
    task = make_task("A-10")
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    response = signed_in(cast.zoe).post(
        f"/attachments/upload/task/{task.pk}/", {"file": big}, follow=True
    )
    assert "单个附件不能超过 1 MB" in response.content.decode()
    assert not TaskAttachment.objects.exists() and stored_files(var_dir) == []


def test_progress_and_its_evidence_file_are_saved_together_or_not_at_all(cast, var_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = make_task("E-2")
    client = signed_in(cast.zoe)
    url = f"/reforms/tasks/{task.pk}/edit/"
    form = {"status": "implemented", "evidence": "", "responsible_units": "", "version": 1}
    bad = client.post(url, form | {"attachment": SimpleUploadedFile("验收.pdf", samples.EXE)})
    assert bad.status_code == 400 and "可执行程序" in bad.content.decode()
    stale = client.post(
        url, form | {"version": 7, "attachment": SimpleUploadedFile("验收.pdf", samples.pdf())}
    )
    assert stale.status_code == 409
    task.refresh_from_db()
    assert (task.status, task.version) == ("not_started", 1)
    assert not TaskAttachment.objects.exists() and stored_files(var_dir) == []
    done = client.post(url, form | {"attachment": SimpleUploadedFile("验收.pdf", samples.pdf())})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "implemented"
    assert [a.name for a in TaskAttachment.objects.filter(target=task)] == ["验收.pdf"]
    assert len(stored_files(var_dir)) == 1


def test_office_files_that_would_inflate_without_bound_are_refused(cast, var_dir):
    from tests.hostile.files import docx_bomb

    task = make_task("A-11")
    for data, rule in [
        (docx_bomb(expanded_mb=120), "压缩炸弹"),  # says how large it is: too large
        (docx_bomb(expanded_mb=30, honest=False), "损坏"),  # lies about its size
    ]:
        with pytest.raises(ValidationError, match=rule):
            attachment_add(user=cast.zoe, record=task, name="方案.docx", data=data)
    assert not TaskAttachment.objects.exists() and stored_files(var_dir) == []
