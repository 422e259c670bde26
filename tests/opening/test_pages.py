"""The opening pages and API answer, as anyone (public reference data)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_check_page_answers_a_question_in_chinese():
    response = Client().get(
        "/opening/check/",
        {"activity": "稀土开采", "foreign_share": "10", "mode": "commercial_presence",
         "place": "elsewhere", "day": "2023-03-01"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "禁止" in body and "稀土" in body and "2021年版" in body


def test_bad_input_gets_a_form_error_not_a_500():
    response = Client().get("/opening/check/", {"activity": "", "foreign_share": "150",
                                                "day": "昨天"})  # fmt: skip
    assert response.status_code == 200
    assert 'id="check-answer"' not in response.content.decode()


def test_the_api_check_names_the_measure_and_the_edition():
    response = Client().get(
        "/api/opening/check",
        {"activity": "增值电信业务", "foreign_share": "60", "place": "ftz", "day": "2023-03-01"},
    )
    data = response.json()
    assert data["verdict"] == "restricted"
    assert data["edition"] == "ftz-2021"
    assert data["findings"][0]["condition_met"] is False
    assert Client().get("/api/opening/check", {"activity": "x", "day": "2023-01-01",
                                               "place": "mars"}).status_code == 422  # fmt: skip


def test_edition_pages_diff_export_and_index():
    client = Client()
    assert client.get("/opening/").status_code == 200
    page = client.get("/opening/editions/national-2021/").content.decode()
    assert "出版物印刷须由中方控股。" in page
    assert client.get("/opening/editions/nope/").status_code == 404
    diff = client.get("/opening/diff/", {"old": "national-2021", "new": "ftz-2021"})
    assert "删除" in diff.content.decode()
    csv = client.get("/opening/diff/", {"old": "national-2021", "new": "ftz-2021", "format": "csv"})
    assert "出版物印刷须由中方控股。" in b"".join(csv.streaming_content).decode("utf-8-sig")
    index = client.get("/api/opening/index/national-2021").json()
    assert index["lower_bound"] is False and index["rule_version"] == "1"
    assert client.get("/api/opening/editions/ftz-2021").json()["measure_list"]


def test_the_command_answers_and_refuses_bad_input():
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("opening", "check", "核电站经营", "--date", "2023-03-01", "--share", "49",
                 stdout=out)  # fmt: skip
    assert "限制 (restricted)" in out.getvalue() and "符合该条件" in out.getvalue()
    with pytest.raises(CommandError, match="日期"):
        call_command("opening", "check", "核电站", "--date", "去年")


def test_the_explanation_switches_to_english():
    from datetime import date
    from decimal import Decimal

    from django.utils import translation

    from zimao.opening.admission import check_admission

    with translation.override("en"):
        answer = check_admission(
            activity="核电站经营", foreign_share=Decimal(60), mode="commercial_presence",
            place="ftz", day=date(2023, 3, 1),
        )  # fmt: skip
        assert answer.verdict_label == "Restricted"
    assert "does not meet it" in answer.explanation and "applies" in answer.explanation


def test_cross_border_supply_is_answered_from_the_cross_border_list_on_page_api_and_command():
    from io import StringIO

    from django.core.management import call_command

    query = {"activity": "报关", "mode": "cross_border", "place": "elsewhere", "day": "2024-05-01"}
    data = Client().get("/api/opening/check", query).json()
    assert (data["verdict"], data["edition"]) == ("prohibited", "cbs-national-2024")
    page = Client().get("/opening/check/", query | {"foreign_share": ""}).content.decode()
    assert "跨境服务贸易特别管理措施" in page and "报关" in page
    ftz = Client().get("/api/opening/check", query | {"place": "ftz"}).json()
    assert (ftz["verdict"], ftz["edition"]) == ("undetermined", "cbs-ftz-2024")
    out = StringIO()
    call_command("opening", "check", "报关", "--date", "2024-05-01", "--mode", "cross_border",
                 "--place", "ftz", stdout=out)  # fmt: skip
    assert "无法判定" in out.getvalue() and "自由贸易试验区跨境服务贸易" in out.getvalue()


def test_a_cross_border_edition_page_lists_its_loaded_items_with_their_certainty():
    page = Client().get("/opening/editions/cbs-national-2024/").content.decode()
    assert "条目部分载入" in page and "报关" in page and "执业兽医" in page
    assert "仅一个来源" in page and "推定" in page  # items 46 and 60 single-source, 2–4 derived
    assert 'id="index-value"' not in page  # the index scores foreign-investment lists only
    market = Client().get("/opening/editions/ma-national-2025/").content.decode()
    assert "市场准入负面清单" in market and "106" in market and "该版本的措施条目尚未载入" in market


def test_the_index_api_scores_foreign_investment_lists_only():
    assert Client().get("/api/opening/index/ftz-2021").status_code == 200
    response = Client().get("/api/opening/index/cbs-national-2024")
    assert response.status_code == 422 and "外商投资" in response.json()["detail"]
