"""Diff between two editions and the restrictiveness index, on two small editions written
for the test (a pilot list and its successor)."""

from decimal import Decimal

import pytest
from django.test import Client

from zimao.opening.diff import diff_editions
from zimao.opening.index import edition_index
from zimao.opening.models import Edition, Measure, Sector

pytestmark = pytest.mark.django_db


def edition(code: str, year: int, total: int) -> Edition:
    return Edition.objects.create(
        code=code, family="foreign_investment", scope="ftz", year=year, title=f"试验清单{year}",
        effective_date=f"{year}-07-01", measures=total, status="complete", source="测试",
    )  # fmt: skip


def measure(ed: Edition, topic: str, sector: str, text: str, kind: str, **extra) -> Measure:
    return Measure.objects.create(
        edition=ed, topic=topic, sector=Sector.objects.get(code=sector), text=text, kind=kind,
        source="测试", **extra,
    )  # fmt: skip


@pytest.fixture
def pair():
    old, new = edition("t-old", 2030, 4), edition("t-new", 2031, 3)
    measure(
        old,
        "cars",
        "C",
        "整车制造外资股比不超过50%。",
        "restricted",
        restrictions="equity_cap",
        foreign_cap=50,
    )
    measure(old, "dish", "C", "禁止投资卫星接收设施生产。", "prohibited")
    measure(old, "survey", "L", "禁止投资社会调查。", "prohibited")
    measure(
        old, "port", "G", "港口经营须由中方控股。", "restricted", restrictions="chinese_control"
    )
    survey = "社会调查外资股比不超过33%，法定代表人须具有中国国籍。"
    measure(new, "survey", "L", survey, "restricted",
            restrictions="equity_cap;nationality", foreign_cap=33)  # fmt: skip
    measure(
        new, "port", "G", "港口的经营须由中方控股。", "restricted", restrictions="chinese_control"
    )
    measure(new, "data", "I", "数据中心须经审批。", "restricted", restrictions="approval")
    return old, new


def test_the_diff_names_each_removed_and_loosened_measure_with_its_text(pair):
    result = diff_editions(*pair)
    by_topic = {c.topic: c for c in result.changes}
    assert by_topic["cars"].status == "removed"
    assert by_topic["cars"].old_text == "整车制造外资股比不超过50%。"
    assert by_topic["dish"].status == "removed"
    assert by_topic["survey"].status == "loosened"
    assert by_topic["survey"].new_text.startswith("社会调查外资股比不超过33%")
    assert by_topic["port"].status == "reworded"
    assert by_topic["data"].status == "added"
    assert result.counts == {"removed": 2, "added": 1, "loosened": 1, "tightened": 0,
                             "reworded": 1, "unchanged": 0}  # fmt: skip
    backwards = {c.topic: c.status for c in diff_editions(pair[1], pair[0]).changes}
    assert backwards["survey"] == "tightened"


def test_the_index_is_explained_down_to_its_measures(pair):
    old, new = pair
    before, after = edition_index(old), edition_index(new)
    scores = {s.sector.code: s for s in before.sectors}
    assert scores["C"].score == Decimal("1")  # 0.25 + 1.0, capped at 1
    assert scores["L"].score == Decimal("1")
    assert scores["G"].score == Decimal("0.5")
    assert before.value == Decimal("0.125")  # (1 + 1 + 0.5) / 20
    survey = next(s for s in after.sectors if s.sector.code == "L").measures[0]
    assert survey[1] == Decimal("0.6")  # below 50 % → 0.5, nationality 0.1
    assert after.value < before.value
    assert not before.lower_bound


def test_the_timeline_marks_a_measure_opened_in_the_ftz_list_before_the_national_one():
    national = Edition.objects.create(
        code="t-nat", family="foreign_investment", scope="national", year=2030,
        title="试验全国清单", effective_date="2030-01-01", measures=2, status="complete",
        source="测试",
    )  # fmt: skip
    ftz = edition("t-ftz", 2030, 1)  # in force 2030-07-01
    measure(national, "survey", "L", "禁止投资社会调查。", "prohibited")
    measure(
        national,
        "port",
        "G",
        "港口经营须由中方控股。",
        "restricted",
        restrictions="chinese_control",
    )
    measure(
        ftz, "port", "G", "港口经营须由中方控股。", "restricted", restrictions="chinese_control"
    )
    from zimao.opening.diff import timeline

    columns, rows = timeline()
    codes = [e.code for e in columns]
    assert codes.index("t-nat") < codes.index("t-ftz")
    by_topic = {r.topic: r for r in rows}
    assert by_topic["survey"].pilot_first  # gone from the complete FTZ list, still national
    assert by_topic["survey"].cells[codes.index("t-ftz")] == "—"
    assert not by_topic["port"].pilot_first
    page = Client().get("/opening/timeline/").content.decode()
    assert "试点在前" in page and "禁止投资社会调查。" in page
