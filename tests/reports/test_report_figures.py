"""What a report says about its figures: gaps in each indicator's direction and by size,
growth in the currency reported, rates as of the period's end, unknowns off the radar, one
rule for decimals."""

import io
import math
import re
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from tests.indicators.helpers import import_sample, import_text, national
from zimao.indicators.benchmarking import ahead, behind, benchmark, chart_data
from zimao.indicators.derived import growth_rate
from zimao.indicators.models import Indicator, Observation, Provenance
from zimao.indicators.subjects import subject_from_ref
from zimao.indicators.units import decimals_for
from zimao.opendata.datasets import DATASETS
from zimao.reforms.models import PilotTask, TaskStatusChange
from zimao.reports.charts import polygon, report_charts
from zimao.reports.content import build_annual, build_benchmark
from zimao.reports.render import render_docx
from zimao.zones.models import Plan

pytestmark = pytest.mark.django_db
LIANGJIANG = "area:两江片区"
LIANGJIANG_PEERS = ["area:成都天府新区片区", "area:武汉片区", "area:郑州片区"]
SIGN = {"higher": 1, "lower": -1, "neutral": 0}


def subjects(subject, peers):
    return subject_from_ref(subject), [subject_from_ref(p) for p in peers]


def stored(code: str, ref: str, period: str) -> Decimal | None:
    kind, _, key = ref.partition(":")
    o = Observation.objects.filter(
        indicator__code=code, subject_kind=kind, subject=key, period=period, preferred=True
    ).first()
    return None if o is None else o.value


def test_the_liangjiang_summary_names_only_real_gaps_largest_first():
    import_sample(national())
    report = build_benchmark(*subjects(LIANGJIANG, LIANGJIANG_PEERS), 2023)
    result = report.chart_data["benchmark"]
    # Expected from the stored values and each indicator's direction, computed here.
    worse, better = [], []
    for indicator in result.indicators:
        own = stored(indicator.code, LIANGJIANG, "2023")
        known = [stored(indicator.code, p, "2023") for p in LIANGJIANG_PEERS]
        known = [v for v in known if v is not None]
        if own is None or not known or SIGN[indicator.direction] == 0:
            continue
        mean = sum(known) / len(known)
        size = abs(own - mean) / abs(mean)
        if round(size * 100, 1) == 0:
            continue
        (better if (own - mean) * SIGN[indicator.direction] > 0 else worse).append(
            (size, indicator.code)
        )
    assert [g.indicator for g in behind(result, 99)] == [c for _, c in sorted(worse)[::-1]]
    assert [g.indicator for g in ahead(result, 99)] == [c for _, c in sorted(better)[::-1]]
    summary = report.sections["summary"]
    gaps_part, _, advantages_part = summary.partition("主要优势")
    # Fewer days to start a business is better: 两江's 1 day against a mean of 2 is no gap.
    assert Indicator.objects.get(code="business_startup_days").direction == "lower"
    assert "企业开办时间" not in gaps_part
    days = next(g for g in result.gaps if g.indicator == "business_startup_days")
    assert days.better is True and "越低越好" in days.text
    for _, code in sorted(worse)[::-1][:3]:
        assert Indicator.objects.get(code=code).name_zh in gaps_part
    for _, code in sorted(better)[::-1][:3]:
        assert Indicator.objects.get(code=code).name_zh in advantages_part


SYNTHETIC = """指标,对象类型,对象,时期,数值,单位,来源
business_startup_days,片区,两江片区,2031,3,工作日,测试
business_startup_days,片区,武汉片区,2031,2,工作日,测试
business_startup_days,片区,郑州片区,2031,2,工作日,测试
trade_total,片区,两江片区,2031,90,亿元,测试
trade_total,片区,武汉片区,2031,100,亿元,测试
trade_total,片区,郑州片区,2031,100,亿元,测试
new_enterprises,片区,两江片区,2031,130,家,测试
new_enterprises,片区,武汉片区,2031,100,家,测试
new_enterprises,片区,郑州片区,2031,100,家,测试
commercial_cases_resolved,片区,两江片区,2031,95,件,测试
commercial_cases_resolved,片区,武汉片区,2031,100,件,测试
commercial_cases_resolved,片区,郑州片区,2031,100,件,测试
planned_area,片区,两江片区,2031,300,平方公里,测试
planned_area,片区,武汉片区,2031,100,平方公里,测试
planned_area,片区,郑州片区,2031,100,平方公里,测试
fdi_share_city,片区,两江片区,2031,20,%,测试
fdi_share_city,片区,武汉片区,2031,20,%,测试
fdi_share_city,片区,郑州片区,2031,20,%,测试
"""


def test_synthetic_gaps_follow_direction_and_size():
    import_text(national(), SYNTHETIC)
    result = benchmark(*subjects(LIANGJIANG, ["area:武汉片区", "area:郑州片区"]), 2031)
    # more days (50 % above the mean) is the largest gap, then 10 % less trade, then 5 % fewer
    # cases; 30 % more new firms is the one advantage; a larger planned area is neither.
    assert [g.indicator for g in behind(result, 99)] == [
        "business_startup_days",
        "trade_total",
        "commercial_cases_resolved",
    ]
    assert [g.indicator for g in ahead(result, 99)] == ["new_enterprises"]
    status = {g.indicator: g.status for g in result.gaps}
    assert status["planned_area"] == "neutral" and status["fdi_share_city"] == "level"
    first = behind(result)[0]
    assert first.text.startswith("企业开办时间高于对标片区均值 50.0%")
    report = build_benchmark(*subjects(LIANGJIANG, ["area:武汉片区", "area:郑州片区"]), 2031)
    summary = report.sections["summary"]
    assert summary.index("企业开办时间") < summary.index("进出口总额") < summary.index("主要优势")
    assert "规划面积" not in summary and "新设企业数" in summary.partition("主要优势")[2]
    headings = [h for h, _ in report.gap_groups]
    assert headings[0].startswith("落后于") and headings[1].startswith("领先于")


def test_growth_of_dollar_figures_is_computed_in_dollars_with_the_fx_effect_beside_it():
    import_sample(national())
    ref = "area:成都天府新区片区"
    now, before = (
        Observation.objects.get(
            indicator__code="fdi_actual", subject="成都天府新区片区", period=p, preferred=True
        )
        for p in ("2023", "2022")
    )
    assert now.original_unit == before.original_unit == "亿美元"
    assert now.exchange_rate != before.exchange_rate  # so conversion changes the growth
    growth = growth_rate("fdi_actual", subject_from_ref(ref), "2023")
    in_dollars = (now.original_value / before.original_value - 1) * 100
    in_yuan = (now.value / before.value - 1) * 100
    assert growth.value == pytest.approx(in_dollars)
    assert growth.converted == pytest.approx(in_yuan)
    assert growth.fx_effect == pytest.approx(in_yuan - in_dollars)
    assert growth.reported_unit == "亿美元" and "汇率影响" in growth.fx_note
    report = build_benchmark(*subjects(ref, [*LIANGJIANG_PEERS[1:], LIANGJIANG]), 2023)
    table = next(t for t in report.tables if "同比增长" in t.title)
    row = next(r for r in table.rows if r[0].text == "实际使用外资")
    assert row[1].text == f"{in_dollars:.1f}%" and row[1].mark
    note = next(n for n in table.notes if n.startswith(row[1].mark))
    assert f"{in_yuan:.1f}%" in note and "汇率影响" in note
    appendix = next(n for n in report.notes if n.observation_id == now.pk)
    assert f"原报 {now.original_value:.2f} 亿美元" in appendix.original
    assert f"汇率 {now.exchange_rate.normalize():f}" in appendix.original
    assert now.exchange_rate_source in appendix.original
    # open data leaves sample figures out: the same row imported by an office is published
    Observation.objects.filter(pk=now.pk).update(provenance=Provenance.OFFICE)
    rows = list(next(d for d in DATASETS if d.name == "observations").rows())
    assert all(r["provenance"] != "sample" for r in rows)
    row = next(r for r in rows if r["id"] == now.pk)
    assert (row["original_value"], row["original_unit"]) == (now.original_value, "亿美元")
    assert row["exchange_rate"] == now.exchange_rate
    assert row["exchange_rate_source"] == now.exchange_rate_source


def test_a_report_for_a_year_reads_the_rate_at_the_end_of_that_year():
    plan = Plan.objects.filter(zone__code="tianjin").first()
    tasks = [
        PilotTask.objects.create(plan=plan, number=f"T{i}", text=f"任务{i}", status=status)
        for i, status in enumerate(["implemented", "implemented", "not_started", "not_started"])
    ]
    TaskStatusChange.objects.filter(task__in=tasks).delete()
    zone = timezone.get_current_timezone()
    for task, day in ((tasks[0], (2023, 6, 1)), (tasks[1], (2024, 3, 1))):
        at = datetime.combine(date(*day), time(12), zone)
        TaskStatusChange.objects.create(task=task, status="implemented", at=at)
    report = build_annual(subject_from_ref("zone:tianjin"), 2023)
    assert report.standing[0].startswith("截至 2023-12-31，试点任务实施率 25.0%")
    later = build_annual(subject_from_ref("zone:tianjin"), 2024)
    assert "试点任务实施率 50.0%" in later.standing[0]
    before_any = build_annual(subject_from_ref("zone:tianjin"), 2022)
    assert "试点任务实施率 未知" in before_any.standing[0]


def test_unknown_values_are_left_off_the_radar_and_named_under_it():
    import_text(
        national(),
        SYNTHETIC.replace("new_enterprises,片区,郑州片区,2031,100,家,测试\n", ""),
    )
    result = benchmark(*subjects(LIANGJIANG, ["area:武汉片区", "area:郑州片区"]), 2031)
    radar = chart_data(result)["radar"]
    names = [i["name"] for i in radar["indicators"]]
    assert "规划面积" not in names  # no better direction: no place on a better-is-outer radar
    zhengzhou = next(s for s in radar["series"] if s["name"] == "郑州片区")
    axis = names.index("新设企业数")
    assert zhengzhou["value"][axis] is None
    assert radar["missing"] == [{"name": "郑州片区", "indicators": ["新设企业数"]}]
    angles = [2 * math.pi * k / len(names) for k in range(len(names))]
    xs, ys = polygon(angles, zhengzhou["value"])
    assert angles[axis] not in xs
    assert len(xs) == len(names)  # the known vertices and the closing one, no centre point
    report = build_benchmark(*subjects(LIANGJIANG, ["area:武汉片区", "area:郑州片区"]), 2031)
    chart = next(c for c in report_charts(report) if "雷达图" in c.title)
    assert chart.note == "未知值不画入图形：郑州片区（新设企业数）"
    assert chart.png.startswith(b"\x89PNG")


def test_one_rule_for_decimals_per_unit_in_tables_and_chart_data():
    import_sample(national())
    report = build_benchmark(*subjects(LIANGJIANG, LIANGJIANG_PEERS), 2023)
    table = report.tables[0]
    for row in table.rows:
        unit = re.search(r"（(.+)）$", row[0].text)
        for figure in row[1:]:
            if unit is None or figure.value is None:
                continue
            places = decimals_for(unit.group(1))
            number = figure.text.replace(unit.group(1), "").strip()
            assert len(number.partition(".")[2]) == places, figure.text
    data = chart_data(report.chart_data["benchmark"])
    for bars in data["bars"].values():
        for value in bars["values"]:
            if value is not None:
                assert value == round(value, decimals_for(bars["unit"]))
    fdi = data["bars"]["fdi_actual"]["values"]
    assert any(v is not None and v != round(v, 0) for v in fdi)


def test_the_word_file_is_a4():
    import_sample(national())
    report = build_benchmark(*subjects(LIANGJIANG, LIANGJIANG_PEERS), 2023)
    document = Document(io.BytesIO(render_docx(report)))
    section = document.sections[0]
    # stored in twentieths of a point: A4 to the tenth of a millimetre, not US Letter
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210.0, 297.0)
    appendix = document.tables[-1]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in appendix.rows)
    fdi = next(r for r in appendix.rows if r.cells[1].text == "实际使用外资")
    assert "原报" in fdi.cells[3].text and "汇率" in fdi.cells[3].text


def test_the_benchmark_page_and_api_name_unknowns_and_the_fx_effect(client):
    import_sample(national())
    query = (
        "/indicators/benchmark/?kind=area&subject=area:两江片区&year=2023&rule=manual"
        "&peers=area:成都天府新区片区&peers=area:武汉片区&peers=area:郑州片区"
    )
    page = client.get(query).content.decode()
    assert 'id="radar-missing"' in page and "武汉片区（跨境人民币结算额）" in page
    assert "汇率影响" in page
    radar = re.search(r'id="bench-radar-data" type="application/json">(.*?)</script>', page)
    assert radar and '"missing"' in radar.group(1)
