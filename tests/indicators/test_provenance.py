"""Where a figure comes from is part of the figure: sample values never pass as verified,
official tallies are the ones shown, and zone pages say whose figure each row is."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.indicators.helpers import SAMPLE, import_sample, import_text, national, zone_office
from zimao.indicators.models import Observation, Provenance
from zimao.opendata.datasets import BY_NAME

pytestmark = pytest.mark.django_db

HEADER = "指标,对象类型,对象,时期,数值,单位,来源"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_sample_file_is_stored_as_sample_never_verified():
    result = import_sample(national())
    stored = Observation.objects.filter(source__startswith="样例数据")
    assert result.created == stored.count() == 330
    assert set(stored.values_list("provenance", "confidence")) == {(Provenance.SAMPLE, "S")}
    reference = Observation.objects.exclude(provenance=Provenance.SAMPLE)
    assert set(reference.values_list("confidence", flat=True)) <= {"V", "D"}
    derived = reference.filter(confidence="D")
    assert set(derived.values_list("provenance", flat=True)) == {Provenance.DERIVED}


def test_an_office_import_is_the_office_s_and_cannot_claim_official(cast):
    office = zone_office("sichuan", name="sue")
    row = "fdi_actual,片区,川南临港片区,2022,10,亿元,川办统计,官方"
    import_text(office, f"{HEADER},数据性质\n{row}\n")
    row = Observation.objects.get(source="川办统计")
    assert (row.provenance, row.confidence) == (Provenance.OFFICE, "R")
    import_text(office, f"{HEADER}\nfdi_actual,片区,川南临港片区,2022,11,亿元,川办统计\n")
    row.refresh_from_db()
    assert (row.value, row.provenance) == (11, Provenance.OFFICE)


def test_the_command_marks_a_file_as_sample(tmp_path):
    path = tmp_path / "demo.csv"
    path.write_text(f"{HEADER}\ntrade_total,片区,南沙片区,2022,1,亿元,演示文件\n", "utf-8")
    call_command("import_observations", str(path), "--sample")
    row = Observation.objects.get(source="演示文件")
    assert (row.provenance, row.confidence, row.is_sample) == (Provenance.SAMPLE, "S", True)


def test_api_rows_carry_provenance_and_the_sample_flag(client):
    import_sample(national())
    rows = client.get("/api/observations", {"subject": "南沙片区", "limit": 500}).json()["items"]
    assert rows and all(r["is_sample"] and r["provenance"] == "sample" for r in rows)
    assert all(r["confidence"] == "S" for r in rows)
    official = client.get("/api/observations", {"subject_kind": "nation"}).json()["items"]
    assert official and not any(r["is_sample"] for r in official)


def test_open_data_leaves_sample_values_out():
    import_sample(national())
    rows = list(BY_NAME["observations"].rows())
    assert rows and all(r["provenance"] != Provenance.SAMPLE for r in rows)
    assert len(rows) == Observation.objects.exclude(provenance=Provenance.SAMPLE).count()


def test_the_footer_claims_public_sources_only_without_samples(client):
    assert "样例数据" not in text_of(client.get("/"))
    import_sample(national())
    footer = text_of(client.get("/")).split("本站另有")[1]
    assert footer.startswith(" 330 条样例数据")


def test_counts_of_areas_are_the_official_ones(client):
    home = text_of(client.get("/"))
    assert "70 个片区" in home and "前 21 个自贸试验区 67 个，新疆自贸试验区 3 个" in home
    zhejiang = client.get("/api/zones/zhejiang").json()
    assert (zhejiang["area_count"], zhejiang["area_rows"]) == (4, len(zhejiang["areas"]))
    assert "舟山片区" in zhejiang["area_count_note"]
    page = client.get("/zones/zhejiang/").content.decode()
    assert re.search(r'id="area-count">4<', page)
    listing = text_of(client.get("/zones/"))
    assert "片区合计 70 个（官方口径）" in listing


def test_a_zone_page_says_whose_figure_each_row_is(client):
    sichuan = client.get("/zones/sichuan/").content.decode()
    row = next(r for r in re.findall(r"<tr.*?</tr>", sichuan, re.S) if "55 %" in r)
    assert "协同改革先行区合计" in row and "2020年" in row and "采用值" in row


def test_a_zone_page_shows_the_rejected_value_beside_the_used_one(client):
    hubei = client.get("/zones/hubei/").content.decode()
    table = hubei[hubei.index('id="zone-figures"') :]
    rows = re.findall(r"<tr.*?</tr>", table, re.S)
    start = next(i for i, r in enumerate(rows) if "实际使用外资" in r and "109.9" in r)
    rejected, beside = rows[start], rows[start + 1]
    assert "不采用" in rejected and "全省口径" in rejected
    assert "湖北省" in beside and "85.5" in beside and "采用值" in beside


def test_the_sample_file_says_it_is_sample():
    header, first = SAMPLE.read_text("utf-8").splitlines()[:2]
    assert header.endswith("数据性质") and first.endswith("样例")


def test_a_page_and_an_index_rank_mark_sample_figures():
    import_sample(national())
    client = Client()
    page = client.get("/indicators/index/", {"kind": "area", "year": 2023}).content.decode()
    scores = page[page.index('id="scores"') : page.index("</table>", page.index('id="scores"'))]
    ranked = [r for r in re.findall(r"<tr>.*?</tr>", scores, re.S) if "成都天府新区片区" in r]
    assert ranked and all("样例" in r for r in ranked)
    assert 'class="sample-banner"' in page
