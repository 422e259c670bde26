"""The composite index against a hand computation, its missing-data rule, sensitivity,
versions (national offices only) and the export that lets anyone recompute it."""

import math

import pytest
from django.core.exceptions import PermissionDenied

from zimao.indicators.index import (
    Dimension,
    IndexDefinition,
    IndexDefinitionError,
    IndicatorSpec,
    compute_index,
    result_as_data,
    sensitivity,
)
from zimao.indicators.models import IndexVersion
from zimao.indicators.services import index_version_save
from zimao.indicators.subjects import subject_from_ref

from .helpers import import_text, national, zone_office

pytestmark = pytest.mark.django_db

# Three areas of Henan in a year no other data uses; 洛阳 has no business start-up figure.
DATA = """指标,对象类型,对象,时期,数值,单位,来源
trade_total,片区,郑州片区,2031,100,亿元,测试数据
trade_total,片区,开封片区,2031,200,亿元,测试数据
trade_total,片区,洛阳片区,2031,300,亿元,测试数据
business_startup_days,片区,郑州片区,2031,1,工作日,测试数据
business_startup_days,片区,开封片区,2031,3,工作日,测试数据
business_startup_days,片区,洛阳片区,2031,—,工作日,测试数据
cross_border_rmb,片区,郑州片区,2031,10,亿元,测试数据
cross_border_rmb,片区,开封片区,2031,30,亿元,测试数据
cross_border_rmb,片区,洛阳片区,2031,200000,万元,测试数据
"""
DEFINITION = IndexDefinition(
    dimensions=(
        Dimension("trade", "贸易", 2, (IndicatorSpec("trade_total"),)),
        Dimension("government", "政府", 1, (IndicatorSpec("business_startup_days", direction=-1),)),
        Dimension("finance", "金融", 1, (IndicatorSpec("cross_border_rmb"),)),
    )
)


@pytest.fixture
def subjects():
    import_text(national(), DATA)
    return [subject_from_ref(f"area:{n}") for n in ("郑州片区", "开封片区", "洛阳片区")]


def scores_of(result):
    return {s.subject.label: s for s in result.scores}


def test_min_max_scores_match_a_hand_computation(subjects):
    result = compute_index(DEFINITION, subjects, 2031)
    by = scores_of(result)
    # trade 100/200/300 -> 0/50/100; days 1/3 (less is better) -> 100/0, 洛阳 missing;
    # finance 10/30/20 (200000 万元 = 20 亿元) -> 0/100/50.
    zhengzhou = (2 * 0 + 1 * 100 + 1 * 0) / 4
    kaifeng = (2 * 50 + 1 * 0 + 1 * 100) / 4
    luoyang = (2 * 100 + 1 * 50) / 3  # government left out, weights re-scaled over 3
    assert by["郑州片区"].score == pytest.approx(zhengzhou)
    assert by["开封片区"].score == pytest.approx(kaifeng)
    assert by["洛阳片区"].score == pytest.approx(luoyang)
    assert [s.subject.label for s in result.scores] == ["洛阳片区", "开封片区", "郑州片区"]
    assert [s.rank for s in result.scores] == [1, 2, 3]
    assert (by["洛阳片区"].missing, by["洛阳片区"].coverage) == (1, pytest.approx(3 / 4))


def test_every_score_is_the_sum_of_its_inputs_contributions(subjects):
    for score in compute_index(DEFINITION, subjects, 2031).scores:
        assert sum(i.contribution for i in score.inputs) == pytest.approx(score.score)
        used = [i for i in score.inputs if i.observation_id]
        assert all(i.source == "测试数据" for i in used)
        missing = [i for i in score.inputs if i.observation_id is None]
        assert len(missing) == score.missing
        assert all(i.contribution == 0 for i in missing)


def test_z_scores_follow_the_population_standard_deviation(subjects):
    zscore = IndexDefinition(DEFINITION.dimensions[:1], normalisation="zscore")
    by = scores_of(compute_index(zscore, subjects, 2031))
    sd = math.sqrt(((100 - 200) ** 2 + 0 + (300 - 200) ** 2) / 3)
    assert by["郑州片区"].score == pytest.approx((100 - 200) / sd)
    assert by["开封片区"].score == pytest.approx(0)


def test_too_little_data_gives_no_score_rather_than_a_low_one(subjects):
    strict = IndexDefinition(DEFINITION.dimensions, min_coverage=0.9)
    by = scores_of(compute_index(strict, subjects, 2031))
    assert by["洛阳片区"].score is None and by["洛阳片区"].rank is None
    assert by["郑州片区"].rank == 2


def test_sensitivity_shows_ranks_moving_with_one_weight(subjects):
    rows = {r.subject.label: r for r in sensitivity(DEFINITION, subjects, 2031, "trade", [0, 2])}
    # Without trade: 郑州 (100+0)/2 = 50, 开封 (0+100)/2 = 50, 洛阳 50 (finance only): a tie.
    assert rows["郑州片区"].ranks == [1, 3]
    assert rows["洛阳片区"].ranks == [1, 1]
    assert rows["郑州片区"].spread == 2


def test_the_export_holds_what_is_needed_to_recompute(subjects):
    data = result_as_data(compute_index(DEFINITION, subjects, 2031), version=7)
    assert data["definition"] == DEFINITION.as_data()
    assert "最小—最大值" in data["rules"]["normalisation"]
    first = data["scores"][0]
    assert first["label"] == "洛阳片区"
    assert sum(i["contribution"] for i in first["inputs"]) == pytest.approx(first["score"])
    assert {i["value"] for i in first["inputs"] if i["indicator"] == "cross_border_rmb"} == {"20"}


def test_only_national_offices_save_versions_and_old_versions_stay():
    first = IndexVersion.objects.get(number=1)
    with pytest.raises(PermissionDenied):
        index_version_save(user=zone_office("sichuan"), name="x", definition=DEFINITION)
    saved = index_version_save(user=national(), name="试算", definition=DEFINITION, note="三维度")
    assert saved.number == 2
    first.refresh_from_db()
    assert first.definition != saved.definition
    assert IndexDefinition.from_data(saved.definition) == DEFINITION


def test_a_definition_naming_an_unknown_indicator_is_refused():
    broken = IndexDefinition((Dimension("x", "某维度", 1, (IndicatorSpec("no_such"),)),))
    with pytest.raises(IndexDefinitionError, match="no_such"):
        index_version_save(user=national(), name="x", definition=broken)


def test_the_api_serves_versions_and_scores(subjects, client):
    saved = index_version_save(user=national("nat2"), name="试算", definition=DEFINITION)
    versions = client.get("/api/index/versions").json()
    assert [v["number"] for v in versions["items"]] == [saved.number, 1]
    body = client.get("/api/index/scores", {"version": saved.number, "year": 2031}).json()
    assert [s["label"] for s in body["scores"]] == ["洛阳片区", "开封片区", "郑州片区"]
    assert body["scores"][0]["score"] == pytest.approx((2 * 100 + 50) / 3)


def test_the_page_explains_a_score_and_tries_multiples_of_the_weight(subjects, client):
    saved = index_version_save(user=national("nat3"), name="试算", definition=DEFINITION)
    query = {"version": saved.number, "year": 2031, "target": "trade", "explain": "area:洛阳片区"}
    page = client.get("/indicators/index/", query).content.decode()
    for weight in ("权重 0.0", "权重 1.0", "权重 2.0", "权重 4.0", "权重 6.0"):
        assert weight in page
    assert "缺失，未计分" in page and "洛阳片区 的得分构成" in page
