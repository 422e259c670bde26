"""Benchmarking a subject against peers, derived figures and the API."""

from decimal import Decimal

import pytest

from zimao.indicators.benchmarking import benchmark, peers_by_rule
from zimao.indicators.derived import (
    cumulative_sum,
    growth_rate,
    intensity,
    share,
    share_of_host,
)
from zimao.indicators.models import Observation
from zimao.indicators.subjects import subject_from_ref

from .helpers import PEERS, SUBJECT, import_sample, import_text, national

pytestmark = pytest.mark.django_db


def value(indicator, ref, period):
    kind, _, key = ref.partition(":")
    return Observation.objects.get(
        indicator__code=indicator, subject_kind=kind, subject=key, period=period, preferred=True
    ).value


@pytest.fixture
def sample():
    import_sample(national())


def test_the_table_holds_the_observations_and_gaps_say_how_far(sample):
    subject, peers = subject_from_ref(SUBJECT), [subject_from_ref(p) for p in PEERS]
    result = benchmark(subject, peers, 2023)
    cell = result.cells["trade_total"][SUBJECT]
    assert cell.value == value("trade_total", SUBJECT, "2023")
    observation = Observation.objects.get(pk=cell.observation_id)
    assert observation.source.startswith("样例数据")
    share_gap = next(g for g in result.gaps if g.indicator == "fdi_share_city")
    mean = sum(value("fdi_share_city", p, "2023") for p in PEERS) / 3
    own = value("fdi_share_city", SUBJECT, "2023")
    assert share_gap.text.startswith(
        f"实际使用外资占所在市比重低于对标片区均值 {mean - own:.1f} 个百分点"
    )
    days = next(g for g in result.gaps if g.indicator == "business_startup_days")
    assert days.better is False  # more days than the peers is behind, not ahead


def test_peers_by_rule(sample):
    subject = subject_from_ref(SUBJECT)
    top = peers_by_rule(subject, "top_n", indicator="trade_total", year=2023, n=2)
    values = sorted(
        (value("trade_total", f"area:{n}", "2023"), n)
        for n in ("南沙片区", "前海蛇口片区", "两江片区", "武汉片区", "郑州片区")
    )
    assert [p.label for p in top] == [values[-1][1], values[-2][1]]
    same = peers_by_rule(subject, "same_batch")
    assert same and all(p.zone.batch == 3 for p in same)
    assert subject.ref not in {p.ref for p in same}


def test_derived_figures_return_their_inputs(sample):
    subject = subject_from_ref(SUBJECT)
    growth = growth_rate("trade_total", subject, "2023")
    now, before = value("trade_total", SUBJECT, "2023"), value("trade_total", SUBJECT, "2022")
    assert growth.value == pytest.approx((now / before - 1) * 100)
    assert [t.value for t in growth.inputs] == [now, before]
    total = cumulative_sum("trade_total", subject, 2019, 2023)
    assert total.value == sum(value("trade_total", SUBJECT, str(y)) for y in range(2019, 2024))
    dense = intensity("trade_total", subject, "2023")
    assert dense.value == pytest.approx(now / subject.area.area_km2)
    unknown = cumulative_sum("cross_border_rmb", subject_from_ref("area:武汉片区"), 2019, 2023)
    assert unknown.value is None  # one year missing: unknown, not a smaller sum


def test_share_of_a_whole():
    import_text(
        national(),
        "指标,对象类型,对象,时期,数值,单位,来源\n"
        "trade_total,全部自贸试验区,,2031,50,亿元,测试\ntrade_total,全国,,2031,400,亿元,测试\n",
    )
    result = share("trade_total", subject_from_ref("ftz_all:"), subject_from_ref("nation:"), "2031")
    assert result.value == Decimal("12.5")


def test_an_area_is_a_share_of_its_city():
    import_text(
        national(),
        "指标,对象类型,对象,时期,数值,单位,来源\n"
        "trade_total,城市,成都市,2031,800,亿元,测试\n"
        "trade_total,片区,成都天府新区片区,2031,100,亿元,测试\n",
    )
    result = share_of_host("trade_total", subject_from_ref("area:成都天府新区片区"), "2031")
    assert result.value == Decimal("12.5")
    assert [t.label for t in result.inputs] == ["成都天府新区片区", "成都市"]


def test_the_api_answers_with_values_sources_and_gaps(sample, client):
    response = client.get(
        "/api/benchmark", {"subject": SUBJECT, "peers": ",".join(PEERS), "year": 2023}
    )
    assert response.status_code == 200
    body = response.json()
    row = next(r for r in body["rows"] if r["indicator"] == "trade_total")
    assert Decimal(str(row["cells"][0]["value"])) == value("trade_total", SUBJECT, "2023")
    assert body["gaps"] and body["charts"]["radar"]["indicators"]
    bad = client.get("/api/benchmark", {"subject": "area:不存在", "peers": "南沙片区"})
    assert bad.status_code == 404 and "找不到" in bad.json()["detail"]
    empty = client.get("/api/benchmark", {"subject": "", "peers": "南沙片区"})
    assert empty.status_code == 422  # malformed, not merely unknown


def test_the_page_shows_the_table_and_the_charts_data(sample, client):
    response = client.get(
        "/indicators/benchmark/",
        {"kind": "area", "subject": SUBJECT, "peers": PEERS, "year": 2023},
    )
    page = response.content.decode()
    assert "对标片区均值" in page and 'id="bench-radar-data"' in page
    assert "<script>" not in page
