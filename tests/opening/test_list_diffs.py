"""The diffs that matter, on the lists as loaded from the reference data: FTZ 2020 → 2021 and
national 2021 → 2024. Measures are named by their topic (the natural key across editions)."""

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from zimao.opening.diff import diff_editions
from zimao.opening.models import Edition

pytestmark = pytest.mark.django_db

FTZ_REMOVED = {"vehicle-manufacturing", "satellite-tv-equipment"}
FTZ_LOOSENED = {"social-survey", "market-survey"}
NATIONAL_REMOVED = {"publication-printing", "tcm-processing"}


def _diff(old: str, new: str):
    return diff_editions(Edition.objects.get(code=old), Edition.objects.get(code=new))


def _by_status(result) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for change in result.changes:
        found.setdefault(change.status, set()).add(change.topic)
    return found


def test_ftz_2020_to_2021_removes_the_last_manufacturing_items_and_opens_the_surveys():
    result = _diff("ftz-2020", "ftz-2021")
    assert result.complete
    statuses = _by_status(result)
    assert statuses["removed"] == FTZ_REMOVED
    assert statuses["loosened"] == FTZ_LOOSENED
    assert not statuses.get("added") and not statuses.get("tightened")
    assert len(statuses["unchanged"]) == 26
    by_topic = {c.topic: c for c in result.changes}
    cars = by_topic["vehicle-manufacturing"]
    assert "汽车整车制造" in cars.old_text and cars.new_text == "" and cars.sector == "制造业"
    assert "卫星电视广播地面接收设施" in by_topic["satellite-tv-equipment"].old_text
    social = by_topic["social-survey"]
    assert social.old_text == "禁止投资社会调查。" and "67%" in social.new_text
    assert social.old_score > social.new_score
    survey = by_topic["market-survey"]
    assert "限于合资" in survey.old_text and "限于合资" not in survey.new_text
    assert result.counts["removed"] == 2 and result.counts["loosened"] == 2


def test_national_2021_to_2024_removes_printing_and_herbal_pieces_and_nothing_else():
    result = _diff("national-2021", "national-2024")
    assert result.complete
    statuses = _by_status(result)
    assert statuses["removed"] == NATIONAL_REMOVED
    assert set(statuses) == {"removed", "unchanged"}
    assert len(statuses["unchanged"]) == 29
    texts = {c.topic: c.old_text for c in result.changes if c.status == "removed"}
    assert texts["publication-printing"] == "出版物印刷须由中方控股。"
    assert "中药饮片" in texts["tcm-processing"]


def test_the_ftz_list_opened_what_the_national_list_still_held():
    """National 2021 → FTZ 2021 on the same day: what the FTZs try first."""
    statuses = _by_status(_diff("national-2021", "ftz-2021"))
    assert statuses["removed"] == {"fishing", "publication-printing", "tcm-processing"}
    assert {"social-survey", "market-survey", "performing-arts", "seed-wheat-corn"} <= statuses[
        "loosened"
    ]


def test_the_diff_page_api_csv_and_xlsx_show_the_removed_and_loosened_texts():
    client = Client()
    query = {"old": "ftz-2020", "new": "ftz-2021"}
    page = client.get("/opening/diff/", query).content.decode()
    assert 'id="diff-partial"' not in page
    assert "删除 2" in page and "放宽 2" in page
    assert "禁止投资社会调查。" in page and "卫星电视广播地面接收设施" in page

    data = client.get("/api/opening/diff", query).json()
    assert data["complete"] is True
    api = {c["topic"]: c for c in data["changes"]}
    assert {t for t, c in api.items() if c["status"] == "removed"} == FTZ_REMOVED
    assert {t for t, c in api.items() if c["status"] == "loosened"} == FTZ_LOOSENED
    assert "67%" in api["social-survey"]["new_text"]
    # item numbers as each list prints them: 2020 item 17 became half of 2021 item 14
    assert (api["social-survey"]["old_seq"], api["social-survey"]["new_seq"]) == (17, 14)
    assert (api["vehicle-manufacturing"]["old_seq"], api["vehicle-manufacturing"]["new_seq"]) == (
        5, None,
    )  # fmt: skip
    assert "第17条" in page

    csv = client.get("/opening/diff/", query | {"format": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    lines = {line.split(",")[1]: line for line in text.splitlines()[1:]}
    assert lines["vehicle-manufacturing"].startswith("删除,")
    assert lines["social-survey"].startswith("放宽,")

    national = client.get(
        "/opening/diff/", {"old": "national-2021", "new": "national-2024", "format": "xlsx"}
    )
    sheet = load_workbook(BytesIO(b"".join(national.streaming_content))).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["publication-printing"][0] == "删除"
    assert rows["publication-printing"][3] == "出版物印刷须由中方控股。"
    assert rows["tcm-processing"][0] == "删除"
    assert rows["nuclear-power"][0] == "未变"
    assert rows["nuclear-power"][7:] == (8, 6)  # item 8 in 2021, item 6 in 2024


CBS_FTZ_REMOVED = {"cbs-auctioneer-exam", "cbs-customs-declaration", "cbs-veterinarian-exam"}


def test_the_ftz_cross_border_list_drops_three_items_of_the_national_one():
    """71 → 68: the auctioneer and veterinarian exams and customs declaration."""
    result = _diff("cbs-national-2024", "cbs-ftz-2024")
    assert not result.complete  # both lists are loaded in part, and the diff says so
    statuses = _by_status(result)
    assert statuses["removed"] == CBS_FTZ_REMOVED
    assert not statuses.get("added") and not statuses.get("tightened")
    by_topic = {c.topic: c for c in result.changes}
    assert by_topic["cbs-customs-declaration"].old_seq == 46
    assert "报关" in by_topic["cbs-customs-declaration"].old_text
    assert (by_topic["cbs-veterinarian-exam"].old_seq, by_topic["cbs-auctioneer-exam"].old_seq) == (
        60, 5,
    )  # fmt: skip
    assert (by_topic["cbs-ship-inspection"].old_seq, by_topic["cbs-ship-inspection"].new_seq) == (
        10, 9,
    )  # fmt: skip


def test_the_national_cross_border_list_adds_four_items_to_the_hainan_one():
    statuses = _by_status(_diff("cbs-hainan_ftp-2021", "cbs-national-2024"))
    assert statuses["added"] == CBS_FTZ_REMOVED | {"cbs-ship-inspection"}
    assert {"cbs-fishery-survey", "cbs-construction", "cbs-tobacco"} <= statuses["unchanged"]


def test_the_cross_border_diff_page_api_and_csv_name_the_three_items():
    client = Client()
    query = {"old": "cbs-national-2024", "new": "cbs-ftz-2024"}
    page = client.get("/opening/diff/", query).content.decode()
    assert 'id="diff-partial"' in page and "删除 3" in page
    assert "第46条" in page and "执业兽医" in page and "拍卖师" in page
    data = client.get("/api/opening/diff", query).json()
    assert data["complete"] is False
    removed = {c["topic"] for c in data["changes"] if c["status"] == "removed"}
    assert removed == CBS_FTZ_REMOVED
    csv = client.get("/opening/diff/", query | {"format": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    lines = {line.split(",")[1]: line for line in text.splitlines()[1:]}
    assert {t for t, line in lines.items() if line.startswith("删除,")} == CBS_FTZ_REMOVED


def test_the_hainan_port_list_opened_surveys_telecom_and_schools_beyond_the_ftz_list():
    result = _diff("ftz-2020", "hainan_ftp-2020")
    assert not result.complete  # the port list is loaded in part
    statuses = _by_status(result)
    assert "social-survey" in statuses["loosened"]
    assert {"telecom", "education-cooperative"} <= statuses["reworded"]
    by_topic = {c.topic: c for c in result.changes}
    assert "在线数据处理与交易处理" in by_topic["telecom"].new_text
    assert "33%" in by_topic["social-survey"].new_text
