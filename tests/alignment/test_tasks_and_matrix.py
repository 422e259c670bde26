"""Alignment measures as the zones' pilot tasks: handed out once, shown on the workbench,
moved through the pilot tasks' own write path, and counted in the matrix."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.factories import make_innovation
from zimao.alignment.models import AlignmentMeasure, Batch, MeasureTask
from zimao.alignment.services import alignment_assign, measure_task_link
from zimao.audit.models import AuditEvent
from zimao.reforms.models import PilotTask
from zimao.reforms.services import task_update

pytestmark = pytest.mark.django_db
FINANCE = "foreign-financial-new-services"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def task_of(code: str, zone: str) -> PilotTask:
    return MeasureTask.objects.get(measure__code=code, zone__code=zone).task


def test_each_measure_becomes_one_task_in_each_zone_that_must_carry_it_out(assigned, cast):
    expected = sum(m.zones.count() for m in AlignmentMeasure.objects.filter(batch=assigned))
    assert MeasureTask.objects.filter(measure__batch=assigned).count() == expected
    task = task_of(FINANCE, "guangdong")
    assert task.plan.title == assigned.plan_title and task.plan.zone.code == "guangdong"
    assert task.text.startswith("【服务贸易】") and task.status == PilotTask.Status.NOT_STARTED
    assert AuditEvent.objects.filter(record_type="reforms.pilottask", record_id=task.pk).exists()
    # A second run, e.g. after more measures were loaded, adds nothing twice.
    assert alignment_assign(user=cast.nina, batch=assigned) == 0
    assert (
        not MeasureTask.objects.filter(measure__code="aircraft-ship-repair-duty")
        .exclude(zone__code="hainan")
        .exists()
    )


def test_only_the_national_office_hands_the_measures_out(cast):
    from zimao.alignment.models import Batch

    batch = Batch.objects.get(code="2023-first")
    with pytest.raises(PermissionDenied):
        alignment_assign(user=cast.zoe, batch=batch)
    assert not MeasureTask.objects.exists()
    response = signed_in(cast.zoe).post("/alignment/assign/", {"batch": batch.code})
    assert response.status_code == 403 and not MeasureTask.objects.exists()
    response = signed_in(cast.nina).post("/alignment/assign/", {"batch": batch.code}, follow=True)
    assert "已下发" in response.content.decode() and MeasureTask.objects.exists()


def test_the_zone_office_workbench_lists_its_alignment_tasks(assigned, cast):
    task_update(
        user=cast.zoe, task=task_of(FINANCE, "guangdong"), version=1, status="implemented",
        evidence="已落地",
    )  # fmt: skip
    page = signed_in(cast.zoe).get("/workbench/").content.decode()
    panel = page[page.index('id="wb-alignment"') :]
    panel = panel[: panel.index("</article>")]
    mine = AlignmentMeasure.objects.filter(zones__code="guangdong").count()
    assert mine >= 3
    assert f"实施率 {1 / mine:.0%}" in panel and "已实施 1" in panel
    assert f"未启动 {mine - 1}" in panel
    assert "内部调动专家的配偶" in panel and "外资金融机构" not in panel  # only open ones
    assert "暂时出境修理" not in panel  # a Hainan-only measure
    assert 'id="wb-alignment"' not in signed_in(cast.otto).get("/workbench/").content.decode()


def test_progress_goes_through_the_task_write_path_and_shows_in_the_matrix(assigned, cast):
    task = task_of(FINANCE, "guangdong")
    client = signed_in(cast.zoe)
    response = client.post(
        f"/reforms/tasks/{task.pk}/edit/",
        {"status": "implemented", "evidence": "首笔同类新金融服务已落地", "version": task.version},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "implemented" and task.status_changes.count() == 1
    matrix = signed_in(cast.nina).get("/alignment/matrix/").content.decode()
    assert 'data-zone="guangdong" title="已实施">✓' in matrix
    detail = client.get(f"/alignment/2023-first/{FINANCE}/").content.decode()
    assert "首笔同类新金融服务已落地" in detail and "已实施" in detail


def test_the_matrix_counts_each_measure_each_zone_and_the_whole(assigned, cast):
    finance_gd, finance_sh = task_of(FINANCE, "guangdong"), task_of(FINANCE, "shanghai")
    task_update(user=cast.zoe, task=finance_gd, version=1, status="implemented", evidence="已落地")
    task_update(user=cast.nina, task=finance_sh, version=1, status="not_applicable")
    body = signed_in(cast.nina).get("/api/alignment/matrix").json()
    finance = next(m for m in body["measures"] if m["code"] == FINANCE)
    assert (finance["implemented"], finance["applicable"]) == (1, 5)  # 6 zones, one n/a
    zones = {z["zone"]: z for z in body["zones"]}
    required = AlignmentMeasure.objects.filter(batch__code="2023-first")
    in_gd, in_hn = (required.filter(zones__code=z).count() for z in ("guangdong", "hainan"))
    assert (zones["guangdong"]["implemented"], zones["guangdong"]["applicable"]) == (1, in_gd)
    assert zones["hainan"]["applicable"] == in_hn == in_gd + 1  # the Hainan-only measure
    total = sum(m["applicable"] for m in body["measures"])
    assert (body["implemented"], body["applicable"]) == (1, total)
    assert body["status"] == "partial" and body["published_total"] == 33
    assert body["loaded"] == required.count() == len(body["measures"])


def test_the_matrix_downloads_as_csv_with_the_same_counts(assigned, cast):
    finance = task_of(FINANCE, "guangdong")
    task_update(user=cast.zoe, task=finance, version=1, status="in_progress")
    response = signed_in(cast.nina).get("/alignment/matrix/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    row = next(r for r in rows if r[0].startswith("试点地区的外资金融机构"))
    assert row[header.index("广东自贸试验区")] == "推进中"
    assert row[-1] == "0/6" and rows[-1][0] == "合计"


def test_a_measure_not_yet_handed_out_shows_as_waiting(cast):
    body = Client().get("/api/alignment/matrix").json()
    statuses = {z["status"] for m in body["measures"] for z in m["zones"]}
    assert statuses == {"unassigned"}
    finance = next(m for m in body["measures"] if m["code"] == FINANCE)
    assert {z["zone"] for z in finance["zones"]} == {
        "shanghai", "guangdong", "tianjin", "fujian", "beijing", "hainan"
    }  # fmt: skip
    assert "待下发" in Client().get("/alignment/matrix/").content.decode()


def test_a_zone_office_links_its_own_innovations_and_no_other(assigned, cast):
    link = MeasureTask.objects.get(measure__code=FINANCE, zone__code="guangdong")
    own = make_innovation("外资银行同类新金融服务准入", "guangdong", published=True)
    other = make_innovation("四川的金融创新", "sichuan", published=True)
    measure_task_link(user=cast.zoe, link=link, innovations=[own])
    assert list(link.innovations.all()) == [own]
    with pytest.raises(ValidationError):
        measure_task_link(user=cast.zoe, link=link, innovations=[other])
    with pytest.raises(PermissionDenied):
        measure_task_link(user=cast.otto, link=link, innovations=[])
    page = Client().get(f"/alignment/2023-first/{FINANCE}/").content.decode()
    assert "外资银行同类新金融服务准入" in page
    refused = signed_in(cast.otto).post(f"/alignment/links/{link.pk}/", {"innovations": []})
    assert refused.status_code == 403 and link.innovations.count() == 1


def test_an_unpublished_innovation_stays_hidden_on_the_measure_page(assigned, cast):
    link = MeasureTask.objects.get(measure__code=FINANCE, zone__code="guangdong")
    draft = make_innovation("未公开的粤金融草案", "guangdong")
    measure_task_link(user=cast.zoe, link=link, innovations=[draft])
    assert (
        "未公开的粤金融草案"
        in signed_in(cast.zoe).get(f"/alignment/2023-first/{FINANCE}/").content.decode()
    )
    for who in (Client(), signed_in(cast.otto)):
        assert (
            "未公开的粤金融草案"
            not in who.get(f"/alignment/2023-first/{FINANCE}/").content.decode()
        )


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/alignment/?field=tourism", 200, "没有该领域"),
        ("/alignment/matrix/?zone=sichuan", 200, "该自贸试验区不承担本批措施"),
        ("/alignment/?batch=nope", 404, ""),
        ("/alignment/2023-first/nope/", 404, ""),
        ("/api/alignment/matrix?field=tourism", 422, "没有该领域"),
        ("/api/alignment/matrix?zone=sichuan", 422, "不承担本批措施"),
        ("/api/alignment/matrix?batch=nope", 404, "未找到"),
        ("/alignment/?q=%00", 400, ""),
    ],
)
def test_bad_input_gets_a_chinese_answer_and_never_a_500(url, status, words):
    response = Client().get(url)
    assert response.status_code == status, url
    assert words in response.content.decode()


def test_a_bad_innovation_choice_is_refused_in_chinese(assigned, cast):
    link = MeasureTask.objects.get(measure__code=FINANCE, zone__code="guangdong")
    client = signed_in(cast.zoe)
    for value in ("abc", "999999999"):
        response = client.post(
            f"/alignment/links/{link.pk}/", {"innovations": [value]}, follow=True
        )
        assert "无效" in response.content.decode() or "不存在" in response.content.decode()
    assert link.innovations.count() == 0


def test_the_shanghai_plan_becomes_tasks_in_shanghai_alone_under_its_own_plan(cast):
    batch = Batch.objects.get(code="2023-shanghai-plan")
    created = alignment_assign(user=cast.nina, batch=batch)
    assert created == batch.measure_set.count() > 0
    links = MeasureTask.objects.filter(measure__batch=batch).select_related("task__plan", "zone")
    assert {link.zone.code for link in links} == {"shanghai"}
    assert {link.task.plan.title for link in links} == {batch.plan_title}
    body = Client().get("/api/alignment/matrix", {"batch": batch.code}).json()
    assert body["loaded"] == created and body["published_total"] == 80


def test_a_batch_known_by_its_count_shows_an_empty_matrix_and_says_why(cast):
    body = Client().get("/api/alignment/matrix", {"batch": "mofcom-key-tasks-2023-2025"}).json()
    assert body["status"] == "listed" and body["loaded"] == 0 and body["measures"] == []
    assert body["published_total"] == 164
    page = Client().get("/alignment/matrix/", {"batch": "mofcom-key-tasks-2023-2025"})
    assert page.status_code == 200 and "本批仅载入公布条数" in page.content.decode()
