"""Figures derived on demand from stored observations and the project's own records.

Each function returns a `Derived`: the value (None when an input is unknown, never 0), the
formula in words, and the inputs it used, so a page or a report can show where it came from.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zimao.reforms.models import Innovation
from zimao.reforms.selectors import (
    Rate,
    history_start,
    implementation_rates,
    rate_history,
    tasks,
)

from .models import Observation
from .periods import PeriodError, parse_period
from .subjects import Kind, Subject
from .units import PERCENT_POINT, UNITS, UnitError, convert, format_value


@dataclass(frozen=True)
class Term:
    label: str
    value: Decimal | None
    unit: str = ""
    observation_id: int | None = None
    source: str = ""


@dataclass(frozen=True)
class Derived:
    value: Decimal | None
    unit: str
    formula: str
    inputs: list[Term] = field(default_factory=list)
    # A growth computed in the currency the figures were reported in: the same growth after
    # converting each period at its own exchange rate, and the difference (percentage points).
    converted: Decimal | None = None
    fx_effect: Decimal | None = None
    reported_unit: str = ""

    @property
    def fx_note(self) -> str:
        """ "按亿美元计；折算为亿元为 17.3%，汇率影响 +5.3 个百分点", or "" without an FX effect."""
        if self.fx_effect is None or self.converted is None:
            return ""
        sign = "+" if self.fx_effect >= 0 else "−"
        return (
            f"按{self.reported_unit}计；按各期汇率折算为{self.inputs[0].unit}为 "
            f"{format_value(self.converted, '%')}，汇率影响 "
            f"{sign}{format_value(abs(self.fx_effect), PERCENT_POINT)}"
        )


def preferred(indicator: str, subject: Subject, period: str) -> Observation | None:
    return (
        Observation.objects.select_related("indicator")
        .filter(
            indicator__code=indicator,
            subject_kind=subject.kind,
            subject=subject.key,
            period=period,
            preferred=True,
        )
        .first()
    )


def _term(observation: Observation | None, label: str, unit: str = "") -> Term:
    if observation is None:
        return Term(label, None, unit)
    value = observation.value
    if value is not None and unit and observation.unit != unit:
        try:
            value = convert(value, observation.unit, unit).value
        except UnitError:
            value = None
    return Term(label, value, unit or observation.unit, observation.pk, observation.source)


def growth_rate(indicator: str, subject: Subject, period: str) -> Derived:
    """Year-on-year growth: (this period ÷ same period a year earlier − 1) × 100.

    When both periods were reported in the same currency and converted into the indicator's
    other currency (亿美元 stored as 亿元 at each year's rate), the growth is computed in the
    currency reported; the converted growth and the exchange-rate effect come with it."""
    try:
        earlier = parse_period(period).shifted(-1).code
    except PeriodError:
        return Derived(None, "%", "同比增长率（无同期可比）")
    now = preferred(indicator, subject, period)
    before = preferred(indicator, subject, earlier)
    unit = now.indicator.unit if now is not None else ""
    current = _term(now, f"{subject.label} {period}", unit)
    previous = _term(before, f"{subject.label} {earlier}", unit)
    value = _growth(current.value, previous.value)
    formula = "（本期 ÷ 上年同期 − 1）× 100"
    reported = _reported_unit(now, before, unit)
    if now is None or before is None or not reported:
        return Derived(value, "%", formula, [current, previous])
    own = [
        _term_in(now, f"{subject.label} {period}", reported),
        _term_in(before, f"{subject.label} {earlier}", reported),
    ]
    growth = _growth(own[0].value, own[1].value)
    if growth is None or value is None:
        return Derived(value, "%", formula, [current, previous])
    return Derived(
        growth,
        "%",
        f"{formula}，按原报告单位{reported}计算",
        [current, previous, *own],
        converted=value,
        fx_effect=value - growth,
        reported_unit=reported,
    )


def _growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or not previous:
        return None
    return (current / previous - 1) * 100


def _reported(o: Observation) -> tuple[Decimal | None, str]:
    if o.original_unit and o.original_value is not None:
        return o.original_value, o.original_unit
    return o.value, o.unit


def _reported_unit(now: Observation | None, before: Observation | None, unit: str) -> str:
    """The currency both periods were reported in, when it is not the indicator's own; ""
    otherwise (nothing converted across currencies, or the periods reported differently)."""
    if now is None or before is None or unit not in UNITS:
        return ""
    reported = [_reported(o)[1] for o in (now, before)]
    families = {UNITS[u][0] if u in UNITS else u for u in reported}
    if len(families) != 1 or families == {UNITS[unit][0]}:
        return ""
    return reported[0] if families <= {"cny", "usd"} else ""


def _term_in(o: Observation, label: str, unit: str) -> Term:
    value, reported = _reported(o)
    if value is not None and reported != unit:
        value = convert(value, reported, unit).value  # same currency: no rate needed
    return Term(label, value, unit, o.pk, o.source)


def share(indicator: str, part: Subject, whole: Subject, period: str) -> Derived:
    """Share of a whole: an area of its city, a zone of its province, all FTZs of the nation."""
    now = preferred(indicator, part, period)
    unit = now.indicator.unit if now is not None else ""
    numerator = _term(now, part.label, unit)
    denominator = _term(preferred(indicator, whole, period), whole.label, unit)
    value = None
    if numerator.value is not None and denominator.value:
        value = numerator.value / denominator.value * 100
    return Derived(value, "%", f"{part.label} ÷ {whole.label} × 100", [numerator, denominator])


def host_of(subject: Subject) -> Subject | None:
    """The whole a share is usually taken of: an area's city, a zone's province, the nation
    for all FTZs together."""
    from .subjects import subject_for

    if subject.kind == Kind.AREA and subject.area is not None and subject.area.city:
        return subject_for(Kind.CITY, subject.area.city)
    if subject.kind == Kind.ZONE and subject.zone is not None:
        return subject_for(Kind.PROVINCE, subject.zone.code)
    if subject.kind == Kind.FTZ_ALL:
        return subject_for(Kind.NATION, "")
    return None


def share_of_host(indicator: str, subject: Subject, period: str) -> Derived:
    host = host_of(subject)
    if host is None:
        return Derived(None, "%", "无上级对象")
    return share(indicator, subject, host, period)


def cumulative_sum(indicator: str, subject: Subject, first_year: int, last_year: int) -> Derived:
    """Sum of annual values over whole years; unknown if any year is unknown."""
    terms = []
    unit = ""
    for year in range(first_year, last_year + 1):
        o = preferred(indicator, subject, str(year))
        unit = unit or (o.indicator.unit if o is not None else "")
        terms.append(_term(o, f"{subject.label} {year}", unit))
    known = [t.value for t in terms if t.value is not None]
    value = sum(known, Decimal(0)) if len(known) == len(terms) else None
    return Derived(value, unit, f"{first_year}—{last_year} 年逐年相加", terms)


def intensity(indicator: str, subject: Subject, period: str) -> Derived:
    """Value per km² of the subject's planned area (亿元/平方公里)."""
    o = preferred(indicator, subject, period)
    unit = o.indicator.unit if o is not None else ""
    numerator = _term(o, subject.label, unit)
    area = subject.area_km2
    area_term = Term(f"{subject.label} 面积", area, "平方公里")
    value = None
    if numerator.value is not None and area:
        value = numerator.value / area
    return Derived(value, f"{unit}/平方公里", "数值 ÷ 面积", [numerator, area_term])


def implementation_rate(subject: Subject, as_of: date | None = None) -> Derived:
    """Implemented ÷ applicable pilot tasks of a zone or an area, from the task records: now,
    or at the end of the day `as_of` (a report for 2023 reads the rate of 2023-12-31, rebuilt
    from the recorded status changes)."""
    if subject.zone is None:
        return Derived(None, "%", "已实施任务 ÷ 适用任务")
    area = subject.area if subject.kind == Kind.AREA else None
    if as_of is not None:
        return _rate_as_of(subject.zone.code, as_of, area.pk if area is not None else None)
    if area is not None:
        rates = [
            r for r in implementation_rates("area", zone=subject.zone.code) if r.key == subject.key
        ]
    else:
        rates = implementation_rates("zone", zone=subject.zone.code)
    return _rate(rates[0] if rates else None, "已实施任务 ÷ 适用任务 × 100")


def _rate(rate: Rate | None, formula: str) -> Derived:
    inputs = [
        Term("已实施任务", Decimal(rate.implemented) if rate else None, "项"),
        Term("适用任务", Decimal(rate.applicable) if rate else None, "项"),
    ]
    value = Decimal(str(rate.rate * 100)) if rate and rate.rate is not None else None
    return Derived(value, "%", formula, inputs)


def _rate_as_of(zone: str, day: date, area: int | None) -> Derived:
    selected = tasks(zone=zone, area=area)
    formula = "已实施任务 ÷ 适用任务 × 100，按任务状态记录回溯至该日"
    start = history_start(selected)
    if start is None or start > day:
        return _rate(None, "该日之前无任务状态记录")
    return _rate(rate_history([day], zone=zone, area=area)[0], formula)


def innovation_count(
    subject: Subject, *, year: int | None = None, selected: bool = False
) -> Derived:
    """Innovations recorded for a zone or an area (optionally created in a year, or selected)."""
    innovations = Innovation.objects.exclude(state=Innovation.State.WITHDRAWN)
    if subject.kind == Kind.AREA and subject.area is not None:
        innovations = innovations.filter(area=subject.area)
    elif subject.zone is not None:
        innovations = innovations.filter(zone=subject.zone)
    else:
        innovations = innovations.none()
    if year is not None:
        innovations = innovations.filter(created_at__year=year)
    if selected:
        innovations = innovations.filter(state=Innovation.State.SELECTED)
    count = innovations.count()
    what = "入选的制度创新成果" if selected else "制度创新成果（撤回的除外）"
    when = f"{year} 年登记的" if year else ""
    return Derived(
        Decimal(count), "项", f"本平台记录中{when}{what}数", [Term(what, Decimal(count), "项")]
    )
