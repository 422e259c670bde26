"""The demand measures as indicators: per zone and year from a small hand-built set of
demands, computed again without duplicates, usable by benchmarking and the index, marked
wherever they are shown as computed from the demand records, and absent (never 0) for a zone
without demands."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from zimao.audit.models import AuditEvent
from zimao.demands import services
from zimao.demands.indicators import CODES, SOURCE, compute_year, scheduled, years_due
from zimao.demands.models import Assignment, AuthorityRequest, Demand, Enterprise
from zimao.indicators.benchmarking import benchmark, peers_by_rule
from zimao.indicators.index import Dimension, IndexDefinition, IndicatorSpec, compute_index
from zimao.indicators.models import Observation
from zimao.indicators.subjects import subject_from_ref

from .conftest import DEMAND, register

pytestmark = pytest.mark.django_db
MARCH = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, 2025
FAR, PAST = date(2999, 1, 1), date(2000, 1, 1)


def submit(firm: Enterprise, title: str, when: datetime = MARCH) -> Demand:
    demand = services.demand_submit(user=firm.user, enterprise=firm, **(DEMAND | {"title": title}))
    Demand.objects.filter(pk=demand.pk).update(created_at=when)
    return Demand.objects.get(pk=demand.pk)


def accept(cast, demand: Demand) -> Demand:
    return services.demand_accept(user=cast.zoe, demand=demand, version=demand.version)


def answer(cast, firm: Enterprise, demand: Demand, units, *, days: int, rating: int) -> Demand:
    """Accepted, routed to `units` (unit, due date), every one answered, answered `days`
    after submission, rated."""
    demand = accept(cast, demand)
    demand = services.demand_assign(
        user=cast.zoe, demand=demand, version=demand.version, units=units
    )
    for assignment in Assignment.objects.filter(demand=demand):
        services.assignment_answer(
            user=cast.zoe, assignment=assignment, version=assignment.version, answer="已办理"
        )
    Demand.objects.filter(pk=demand.pk).update(answered_at=demand.created_at + timedelta(days=days))
    demand = Demand.objects.get(pk=demand.pk)
    return services.demand_rate(
        user=firm.user, demand=demand, version=demand.version, rating=rating
    )


@pytest.fixture
def records(cast, firms, departments, settings):
    """Guangdong 2025: five demands (two answered, one waiting after acceptance, one not yet
    accepted, one rejected), one promoted, two powers asked for (one granted); one more
    demand in 2024. Sichuan 2025: one demand not yet accepted. Every other zone: none."""
    settings.TODAY = date(2025, 6, 1)
    eve, mallory = firms["eve"], firms["mallory"]
    dora, dan = departments["dora"], departments["dan"]
    first = submit(eve, "退货出区申报繁琐")
    first = answer(cast, eve, first, [(dora, FAR), (dan, PAST)], days=10, rating=4)
    second = answer(
        cast, mallory, submit(mallory, "保税维修目录太窄"), [(dora, FAR)], days=20, rating=2
    )
    accept(cast, submit(eve, "跨境数据出境评估周期长"))
    submit(mallory, "船舶登记材料重复提交")
    rejected = submit(eve, "希望减免全部税费")
    services.demand_reject(
        user=cast.zoe, demand=rejected, version=rejected.version, reason="不属改革事项"
    )
    services.demand_promote(user=cast.zoe, demand=first, title="退货商品集中申报")
    for level, power in (("provincial", "退货汇总征税审批"), ("national", "海关监管方式调整")):
        item = services.authority_request_create(
            user=cast.zoe, demand=first, level=level, power=power, request="请授权片区试行。"
        )
        if level == "provincial":
            services.authority_answer(
                user=cast.paul, item=item, version=item.version, status="granted", answer="同意"
            )
    AuthorityRequest.objects.update(created_at=MARCH)
    earlier = submit(eve, "报关单据纸质留存", when=MARCH.replace(year=2024))
    answer(cast, eve, earlier, [(dora, FAR)], days=5, rating=1)
    sally = register("sally", 20, zone="sichuan", area=None)
    services.enterprise_verify(user=cast.otto, enterprise=sally, version=sally.version)
    submit(Enterprise.objects.get(pk=sally.pk), "中欧班列舱位紧张")
    return {"second": second}


def values(zone: str, year: int) -> dict[str, Decimal | None]:
    return {
        o.indicator.code: o.value
        for o in Observation.objects.filter(
            subject_kind="zone", subject=zone, period=str(year), source=SOURCE
        ).select_related("indicator")
    }


def test_values_per_zone_and_year_from_the_demand_records(records):
    done = compute_year(2025)
    assert (done.created, done.updated, done.removed) == (8, 0, 0)
    assert values("guangdong", 2025) == {
        "demand_count": Decimal(5),  # the rejected one counts as raised
        "demand_response_days": Decimal(15),  # (10 + 20) ÷ 2
        "demand_on_time_rate": Decimal("66.7"),  # 2 of 3 answered assignments in time
        "demand_resolution_rate": Decimal("66.7"),  # 2 answered of 3 accepted
        "demand_satisfaction": Decimal(3),  # (4 + 2) ÷ 2
        "demand_promoted_share": Decimal("33.3"),  # 1 of 3 accepted
        "authority_requests_granted": Decimal(1),  # of 2 asked for
    }
    # Sichuan has one demand and nothing to measure it by but its count; no rate is 0.
    assert values("sichuan", 2025) == {"demand_count": Decimal(1)}
    assert values("shanghai", 2025) == {}  # no demands: no value at all, not zero
    compute_year(2024)
    assert values("guangdong", 2024)["demand_satisfaction"] == Decimal(1)
    assert values("guangdong", 2024)["demand_count"] == Decimal(1)
    o = Observation.objects.get(
        indicator__code="demand_on_time_rate", subject="guangdong", period="2025"
    )
    assert o.provenance == "computed" and o.confidence == "C" and o.preferred
    assert o.zone is not None and o.zone.code == "guangdong" and o.unit == "%"
    assert "非官方统计" in o.source and "诉求 5 件" in o.note


def test_computing_a_year_again_replaces_its_values_and_never_duplicates(cast, records):
    compute_year(2025)
    count, events = Observation.objects.count(), AuditEvent.objects.count()
    again = compute_year(2025)
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, 8)
    assert (Observation.objects.count(), AuditEvent.objects.count()) == (count, events)
    waiting = Demand.objects.get(title="跨境数据出境评估周期长")
    services.demand_reject(
        user=cast.zoe, demand=waiting, version=waiting.version, reason="已有政策可以解决"
    )
    Demand.objects.filter(title="中欧班列舱位紧张").update(created_at=MARCH.replace(year=2026))
    out = call_command_output("demand_indicators", "--year", "2025")
    assert "2025: created 0, updated 2, removed 1, unchanged 5" in out
    now = values("guangdong", 2025)
    assert now["demand_resolution_rate"] == Decimal(100)  # 2 answered of 2 accepted
    assert now["demand_promoted_share"] == Decimal(50) and now["demand_count"] == Decimal(5)
    assert values("sichuan", 2025) == {}  # its only demand now counts in 2026
    assert Observation.objects.filter(source=SOURCE, period="2025").count() == 7
    assert AuditEvent.objects.filter(action="delete", record_type="indicators.observation").exists()


def call_command_output(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_daily_run_computes_this_year_and_the_last(records):
    new_year = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)  # 2026-01-01 00:30 in Beijing
    assert years_due(new_year) == [2025, 2026]
    outcomes = scheduled(new_year)
    assert [o.year for o in outcomes] == [2025, 2026]
    assert values("guangdong", 2025)["demand_count"] == Decimal(5)
    assert scheduled(new_year)[0].created == 0  # a second run changes nothing


def test_benchmarking_and_the_index_select_the_demand_indicators(records):
    compute_year(2025)
    guangdong, sichuan = subject_from_ref("zone:guangdong"), subject_from_ref("zone:sichuan")
    shanghai = subject_from_ref("zone:shanghai")
    result = benchmark(guangdong, [sichuan, shanghai], 2025)
    assert set(CODES) <= {i.code for i in result.indicators}
    cell = result.cells["demand_satisfaction"]["zone:guangdong"]
    assert cell.value == Decimal(3) and cell.is_computed and not cell.is_sample
    assert "zone:shanghai" not in result.cells["demand_count"]
    gap = next(g for g in result.gaps if g.indicator == "demand_count")  # Sichuan has one
    assert gap.text.endswith("【本平台诉求记录计算，非官方统计】")
    chosen = benchmark(guangdong, [sichuan], 2025, indicators=["demand_on_time_rate"])
    assert [i.code for i in chosen.indicators] == ["demand_on_time_rate"]
    top = peers_by_rule(shanghai, "top_n", indicator="demand_count", year=2025, n=5)
    assert [s.ref for s in top] == ["zone:guangdong", "zone:sichuan"]

    definition = IndexDefinition(
        dimensions=(
            Dimension(
                "demands",
                "企业诉求办理",
                1,
                (
                    IndicatorSpec("demand_count"),
                    IndicatorSpec("demand_response_days", direction=-1),
                ),
            ),
        )
    )
    definition.validate()
    scores = {
        s.subject.ref: s
        for s in compute_index(definition, [guangdong, sichuan, shanghai], 2025).scores
    }
    used = [i for i in scores["zone:guangdong"].inputs if i.indicator == "demand_response_days"]
    assert used[0].value == Decimal(15) and used[0].is_computed and used[0].source == SOURCE
    assert scores["zone:guangdong"].score is not None
    assert scores["zone:shanghai"].score is None and scores["zone:shanghai"].missing == 2


def test_the_provenance_shows_wherever_the_values_are_shown(records):
    compute_year(2025)
    o = Observation.objects.get(
        indicator__code="demand_satisfaction", subject="guangdong", period="2025"
    )
    page = Client().get(f"/indicators/observations/{o.pk}/").content.decode()
    assert "由本平台诉求记录计算（非官方统计）" in page and "诉求记录计算</span>" in page
    bench = (
        Client()
        .get(
            "/indicators/benchmark/",
            {"subject": "zone:guangdong", "peers": "zone:sichuan", "year": 2025},
        )
        .content.decode()
    )
    assert "computed-mark" in bench and "企业诉求满意度" in bench
    api = Client().get("/api/observations", {"indicator": "demand_satisfaction"}).json()
    [item] = api["items"]
    assert (item["provenance"], item["confidence"]) == ("computed", "C")
    bench_api = (
        Client()
        .get("/api/benchmark", {"subject": "zone:guangdong", "peers": "zone:sichuan", "year": 2025})
        .json()
    )
    row = next(r for r in bench_api["rows"] if r["indicator"] == "demand_satisfaction")
    assert row["cells"][0]["is_computed"] is True


def test_an_import_cannot_pass_its_figures_off_as_computed_and_an_export_says_computed(cast):
    from tests.indicators.helpers import import_text
    from zimao.demands.indicators import ensure_indicators
    from zimao.indicators.exports import rows_of

    ensure_indicators()
    import_text(
        cast.nina,
        "指标,对象类型,对象,时期,数值,单位,来源,数据性质\n"
        "demand_satisfaction,自贸试验区,guangdong,2025,4.5,分,某机构报送,诉求记录计算\n",
    )
    imported = Observation.objects.get(indicator__code="demand_satisfaction", source="某机构报送")
    assert imported.provenance == "office" and not imported.is_computed
    compute_year(2025)  # no demands: nothing computed beside it
    assert Observation.objects.filter(source=SOURCE).count() == 0
    Observation.objects.filter(pk=imported.pk).update(provenance="computed", confidence="C")
    [row] = rows_of(Observation.objects.filter(pk=imported.pk).select_related("indicator"))
    assert row[-1] == "诉求记录计算"
