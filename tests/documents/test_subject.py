"""A document sits under the zone it is about (issuer, title, most of its text, 自贸 context),
not the zone it names first or most; passages carry every zone they name; reviewers correct."""

from pathlib import Path

import pytest

from zimao.audit.models import AuditEvent
from zimao.documents.analysis import analyse_bytes
from zimao.documents.models import Document
from zimao.documents.services import document_store
from zimao.documents.subject import document_subject
from zimao.documents.subject_review import SubjectError, subject_correct
from zimao.search.backends import Filters
from zimao.search.models import SearchEntry
from zimao.search.selectors import search

# Our own text in the genre of a provincial FTZ newspaper page: a Sichuan feature on its
# pilot areas, then a shorter Shandong news item that names Shandong's FTZ more often.
SICHUAN_PAGE = """协同联动 开放提速

四川省在自贸试验区之外布局的协同改革先行区运行满两年，各先行区围绕制度创新与开放平台建设持续发力。

宜宾 港口物流带动外贸

宜宾依托临港经济开发区完善多式联运体系，新开通的铁水联运线路使集装箱周转时间缩短三分之一，宜宾外贸企业融资渠道进一步拓宽。宜宾还推出出口信用保险专项支持，带动一批加工贸易企业落户。

德阳 装备制造走出去

德阳与成都国际铁路港共建物流通道，重型装备出口订单稳步增长，德阳企业在海外设立服务网点十余个，德阳海关推行提前申报模式，通关效率明显提高。

资阳 口腔产业集聚

资阳围绕口腔医疗器械审批开展改革，资阳园区注册产品数量逐年增加，专项基金撬动多家企业入驻，资阳人才公寓为引进人才提供保障。

眉山 同城化发展

眉山与天府新区成都片区联合申报进口贸易促进示范区，眉山企业采用研发在成都、生产在眉山的布局，眉山外资到位额在全省排位前移。

（本文由四川省自贸试验区工作办公室供稿）

山东自贸试验区烟台片区举办企业创新大赛

山东自贸试验区烟台片区近日举办企业创新大赛决赛，山东自贸试验区烟台片区相关负责人介绍，大赛设置多个组别，获奖项目将获得山东自贸试验区烟台片区金融机构的跟踪服务。大赛期间，山东自贸试验区烟台片区还与四川自贸试验区川南临港片区签订港口物流合作协议。
"""

NATIONAL_REPORT = """全国自贸试验区建设年度综述

一年来，各自贸试验区围绕投资贸易便利化推进改革。上海自贸试验区深化跨境服务贸易开放，广东自贸试验区推进粤港澳规则衔接，天津自贸试验区发展融资租赁，福建自贸试验区深化两岸合作。

在政府职能转变方面，各地持续推进证照分离改革，压缩企业开办时间，推行告知承诺制。金融开放方面，各地推进跨境人民币结算便利化，扩大本外币合一账户试点。

重庆自贸试验区和四川自贸试验区探索陆上贸易规则，湖北自贸试验区推进光电子产业集聚，浙江自贸试验区发展油气全产业链。各自贸试验区累计形成大量制度创新成果。
"""

JOINT_NOTE = """川渝自贸试验区协同开放示范区建设进展

四川自贸试验区与重庆自贸试验区共同推进协同开放示范区建设。四川省和重庆市联合出台政策，重庆自贸试验区两江片区与四川自贸试验区天府新区片区开展通关一体化合作。

双方在成都和重庆两地设立联合服务窗口，四川企业和重庆企业可异地办理登记业务，四川自贸试验区和重庆自贸试验区还共同发布了一批联合创新案例。
"""


def test_the_issuer_and_most_of_the_text_decide_not_the_most_named_zone():
    subject = document_subject("协同联动开放提速", SICHUAN_PAGE)
    assert subject.zones == ["sichuan"]
    kinds = {(e.zone, e.kind) for e in subject.evidence}
    assert ("sichuan", "issuer") in kinds and ("sichuan", "coverage") in kinds
    # Shandong's FTZ is named more often, and is weighed, but is not the subject.
    assert 0 < subject.scores["shandong"] < subject.scores["sichuan"]
    stored = subject.evidence_dicts()
    assert any(e["zone"] == "shandong" and not e["subject"] for e in stored)
    assert all(e["subject"] for e in stored if e["zone"] == "sichuan")


def test_a_national_overview_has_no_single_subject():
    assert document_subject("年度综述", NATIONAL_REPORT).zones == []


def test_a_joint_document_has_both_zones():
    assert sorted(document_subject("川渝协同", JOINT_NOTE).zones) == ["chongqing", "sichuan"]


def test_a_zone_in_the_title_counts_even_as_a_file_name():
    text = "开放平台建设稳步推进，各项改革任务有序落地。" * 5
    assert document_subject("sichuan-pilot-areas-2021", text).zones == ["sichuan"]
    assert document_subject("四川自贸试验区工作简报", text).zones == ["sichuan"]
    assert document_subject("工作简报", text).zones == []


def _ingest(name: str, text: str, user) -> Document:
    analysis = analyse_bytes(name, text.encode("utf-8"))
    assert not analysis.error
    return document_store(analysis=analysis, data=text.encode("utf-8"), user=user).document


@pytest.fixture
def sichuan_page(cast, media, django_capture_on_commit_callbacks) -> Document:
    with django_capture_on_commit_callbacks(execute=True):
        return _ingest("协同联动开放提速.txt", SICHUAN_PAGE, cast.nina)


def test_an_ingested_document_stores_its_subject_and_evidence(sichuan_page):
    assert sichuan_page.subject_zones == ["sichuan"]
    assert sichuan_page.subject_status == Document.SubjectStatus.AUTO
    assert {e["kind"] for e in sichuan_page.subject_evidence if e["zone"] == "sichuan"} >= {
        "issuer",
        "coverage",
    }


def test_searching_the_province_finds_the_document_for_a_researcher(sichuan_page, cast):
    outcome = search("四川", user=cast.rita)
    found = [(r.entry.kind, r.entry.object_id) for r in outcome.results[:10]]
    assert ("document", str(sichuan_page.pk)) in found
    entry = SearchEntry.objects.get(kind="document", object_id=str(sichuan_page.pk))
    assert entry.zone == "sichuan" and entry.zones == " sichuan "


def test_a_passage_carries_every_zone_it_names(sichuan_page, cast):
    passages = SearchEntry.objects.filter(
        kind="passage", object_id__startswith=f"{sichuan_page.pk}:"
    )
    both = [p for p in passages if " sichuan " in p.zones and " shandong " in p.zones]
    assert both, [p.zones for p in passages]
    # Filtered to either zone, the passage that names both is found.
    for zone in ("sichuan", "shandong"):
        outcome = search("创新大赛", Filters(zone=zone, kind="passage"), user=cast.rita)
        assert any(r.entry.pk == both[0].pk for r in outcome.results), zone
    # A city of a pilot area counts for the zone the document is about.
    yibin = next(p for p in passages if "宜宾" in p.body and "山东" not in p.body)
    assert yibin.zone == "sichuan"


def test_a_reviewer_corrects_the_subject_audited_and_reindexed(
    sichuan_page, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subject_correct(
            user=cast.nina,
            document=sichuan_page,
            zones=["sichuan", "shandong"],
            note="版面含山东烟台片区的新闻",
        )
    sichuan_page.refresh_from_db()
    assert sichuan_page.subject_zones == ["sichuan", "shandong"]
    assert sichuan_page.subject_status == Document.SubjectStatus.REVIEWED
    event = AuditEvent.objects.get(action="document_subject", record_id=str(sichuan_page.pk))
    assert event.after["subject_zones"] == ["sichuan", "shandong"]
    assert event.before["subject_zones"] == ["sichuan"]
    entry = SearchEntry.objects.get(kind="document", object_id=str(sichuan_page.pk))
    assert entry.zones == " sichuan shandong "


def test_a_correction_needs_a_reason_a_known_zone_and_the_right(sichuan_page, cast):
    with pytest.raises(SubjectError):
        subject_correct(user=cast.nina, document=sichuan_page, zones=["sichuan"], note=" ")
    with pytest.raises(SubjectError):
        subject_correct(user=cast.nina, document=sichuan_page, zones=["atlantis"], note="x")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        subject_correct(user=cast.rita, document=sichuan_page, zones=["hubei"], note="x")
    sichuan_page.refresh_from_db()
    assert sichuan_page.subject_zones == ["sichuan"]


def test_the_page_shows_the_subject_and_the_reviewer_corrects_it(sichuan_page, cast, client):
    client.force_login(cast.nina)
    html = client.get(sichuan_page.get_absolute_url()).content.decode()
    assert '<a href="/zones/sichuan/" class="badge">四川自贸试验区</a>' in html
    assert "发布/供稿单位" in html and "四川省自贸试验区工作办公室" in html
    assert 'id="subject-form"' in html
    response = client.post(
        f"/documents/{sichuan_page.pk}/subject/", {"zones": ["hubei"], "note": "测试更正"}
    )
    assert response.status_code == 302
    sichuan_page.refresh_from_db()
    assert sichuan_page.subject_zones == ["hubei"]
    missing = client.post(f"/documents/{sichuan_page.pk}/subject/", {"zones": ["sichuan"]})
    assert missing.status_code == 302
    sichuan_page.refresh_from_db()
    assert sichuan_page.subject_zones == ["hubei"]


def test_a_researcher_sees_the_subject_but_no_form(sichuan_page, cast, client):
    client.force_login(cast.rita)
    html = client.get(sichuan_page.get_absolute_url()).content.decode()
    assert 'id="subject"' in html and 'id="subject-form"' not in html
    assert client.post(
        f"/documents/{sichuan_page.pk}/subject/", {"zones": ["hubei"], "note": "x"}
    ).status_code in (403, 404)


CORPUS = [
    Path(__file__).resolve().parents[2].parent / "shared" / "corpus",
    Path("/work/shared/corpus"),
]
PILOT_AREAS = "sichuan-pilot-areas-and-cases-2021.txt"


def _corpus_file(name: str) -> Path:
    for folder in CORPUS:
        if (folder / name).is_file():
            return folder / name
    pytest.skip("the shared corpus is not beside this checkout")


def test_the_sichuan_pilot_area_page_is_found_under_sichuan(
    cast, media, django_capture_on_commit_callbacks
):
    data = _corpus_file(PILOT_AREAS).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        analysis = analyse_bytes("制度对接平台融通产业互动.txt", data)
        document = document_store(analysis=analysis, data=data, user=cast.nina).document
    assert document.subject_zones == ["sichuan"]
    found = [(r.entry.kind, r.entry.object_id) for r in search("四川", user=cast.rita).results]
    assert ("document", str(document.pk)) in found[:10]
    assert SearchEntry.objects.filter(
        kind="passage", object_id__startswith=f"{document.pk}:", zones__contains=" sichuan "
    ).exists()


def test_the_api_gives_the_subject(sichuan_page, cast, client):
    client.force_login(cast.rita)
    body = client.get(f"/api/documents/{sichuan_page.pk}").json()
    assert body["subject_zones"] == ["sichuan"] and body["subject_status"] == "auto"
