"""Peer benchmarking: one subject against its peers, side by side, with the gaps in words."""

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from zimao.zones.models import Area, PilotArea, Zone

from .derived import Derived, growth_rate
from .index import DEFAULT_DEFINITION
from .models import Indicator, Observation
from .subjects import Kind, Subject, SubjectError, subject_for
from .units import PERCENT_POINT, UnitError, convert, decimals_for, format_value, rounded

YEAR = re.compile(r"^\d{4}$")
SAMPLE_SUFFIX = "【样例数据】"
COMPUTED_SUFFIX = "【本平台诉求记录计算，非官方统计】"
RULES = {"manual": _("手工选择"), "same_batch": _("同批次设立"), "top_n": _("按指标排名前 N 位")}


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    unit: str
    observation_id: int | None = None
    source: str = ""
    flags: str = ""
    is_sample: bool = False  # an invented sample value: shown with its 样例 marker
    is_computed: bool = False  # computed from the platform's demand records, not a statistic
    # As reported, when the value was converted from another currency at a stated rate.
    original_value: Decimal | None = None
    original_unit: str = ""
    exchange_rate: Decimal | None = None
    exchange_rate_source: str = ""

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def original_text(self) -> str:
        """ "原报 14.95 亿美元，汇率 7.05（来源）", or "" for a value stored as reported."""
        if not self.original_unit or self.original_value is None:
            return ""
        text = f"原报 {format_value(self.original_value, self.original_unit)}"
        if self.exchange_rate is not None:
            text += f"，汇率 {self.exchange_rate.normalize():f}（1 美元兑人民币元"
            text += f"；{self.exchange_rate_source}）" if self.exchange_rate_source else "）"
        return text


AHEAD, BEHIND, LEVEL, NEUTRAL = "ahead", "behind", "level", "neutral"


@dataclass(frozen=True)
class Gap:
    """The subject against the peers' mean on one indicator. `better` is None where the
    indicator has no better direction or the two are level; `size` is the distance relative
    to the mean (a fraction), by which gaps and advantages are ranked."""

    indicator: str
    name: str
    value: Decimal
    mean: Decimal
    unit: str
    better: bool | None
    text: str
    is_sample: bool = False  # the sentence rests on a sample value (its text says so)
    direction: str = "higher"
    size: Decimal = Decimal(0)

    @property
    def status(self) -> str:
        if self.direction == NEUTRAL:
            return NEUTRAL
        return LEVEL if self.better is None else AHEAD if self.better else BEHIND


@dataclass
class Benchmark:
    subject: Subject
    peers: list[Subject]
    year: int
    indicators: list[Indicator]
    cells: dict[str, dict[str, Cell]]  # indicator -> subject ref -> value in the year
    growth: dict[str, dict[str, Derived]]
    series: dict[str, dict[str, dict[int, Cell]]]  # indicator -> ref -> year -> value
    gaps: list[Gap] = field(default_factory=list)

    @property
    def subjects(self) -> list[Subject]:
        return [self.subject, *self.peers]

    @property
    def years(self) -> list[int]:
        years = {
            y for by_ref in self.series.values() for by_year in by_ref.values() for y in by_year
        }
        return sorted(years)

    @property
    def uses_sample(self) -> bool:
        """Any value shown (this year or in the series) is an invented sample value."""
        return any(
            c.is_sample
            for by_ref in self.series.values()
            for y in by_ref.values()
            for c in y.values()
        ) or any(c.is_sample for by_ref in self.cells.values() for c in by_ref.values())

    @property
    def group_label(self) -> str:
        return "对标片区" if self.subject.kind == Kind.AREA else f"对标{self.subject.kind_label}"


def subjects_of_kind(kind: str) -> list[Subject]:
    """Every zone, area or pilot area as a subject, in registry order."""
    if kind == Kind.AREA:
        return [
            Subject(kind, a.name_zh, a.name_zh, a.zone, a)
            for a in Area.objects.select_related("zone").order_by("zone__batch", "zone_id", "id")
        ]
    if kind == Kind.PILOT_AREA:
        return [
            Subject(kind, p.name_zh, p.name_zh, p.zone)
            for p in PilotArea.objects.select_related("zone")
        ]
    return [Subject(Kind.ZONE, z.code, z.short_name_zh, z) for z in Zone.objects.all()]


def _annual(codes: list[str], subjects: list[Subject]) -> list[Observation]:
    return [
        o
        for o in Observation.objects.select_related("indicator").filter(
            indicator__code__in=codes,
            subject_kind__in={s.kind for s in subjects},
            subject__in={s.key for s in subjects},
            preferred=True,
        )
        if YEAR.match(o.period)
    ]


def _cell(o: Observation) -> Cell:
    value, unit = o.value, o.unit
    if value is not None and o.indicator.unit and unit != o.indicator.unit:
        try:
            value, unit = convert(value, unit, o.indicator.unit).value, o.indicator.unit
        except UnitError:
            value = None  # not comparable without a stated exchange rate
    return Cell(
        value,
        unit,
        o.pk,
        o.source,
        o.flags,
        original_value=o.original_value if o.original_unit else None,
        original_unit=o.original_unit,
        exchange_rate=o.exchange_rate,
        exchange_rate_source=o.exchange_rate_source,
        is_sample=o.is_sample,
        is_computed=o.is_computed,
    )


def peers_by_rule(
    subject: Subject, rule: str, *, indicator: str = "", year: int | None = None, n: int = 3
) -> list[Subject]:
    """Peers chosen by a rule: zones (or their areas) of the same batch, or the top N by an
    indicator in a year."""
    candidates = [s for s in subjects_of_kind(subject.kind) if s.ref != subject.ref]
    if rule == "same_batch" and subject.zone is not None:
        batch = subject.zone.batch
        return [s for s in candidates if s.zone is not None and s.zone.batch == batch]
    if rule == "top_n" and indicator and year:
        values = {
            f"{o.subject_kind}:{o.subject}": _cell(o).value
            for o in _annual([indicator], candidates)
            if o.period == str(year)
        }
        ranked = sorted(
            (s for s in candidates if values.get(s.ref) is not None),
            key=lambda s: -(values[s.ref] or 0),
        )
        return ranked[:n]
    raise SubjectError(_("无法按规则“%(rule)s”选出对标对象") % {"rule": RULES.get(rule, rule)})


def benchmark(
    subject: Subject, peers: list[Subject], year: int, indicators: list[str] | None = None
) -> Benchmark:
    subjects = [subject, *peers]
    if indicators is None:
        codes = sorted(
            {o.indicator.code for o in _annual(_all_codes(), subjects) if o.period == str(year)}
        )
    else:
        codes = indicators
    ordered = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    chosen = sorted((ordered[c] for c in codes if c in ordered), key=_position)
    cells: dict[str, dict[str, Cell]] = {c: {} for c in ordered}
    series: dict[str, dict[str, dict[int, Cell]]] = {c: {} for c in ordered}
    for o in _annual(list(ordered), subjects):
        ref = f"{o.subject_kind}:{o.subject}"
        cell = _cell(o)
        series[o.indicator.code].setdefault(ref, {})[int(o.period)] = cell
        if o.period == str(year):
            cells[o.indicator.code][ref] = cell
    growth = {
        i.code: {s.ref: growth_rate(i.code, s, str(year)) for s in subjects}
        for i in chosen
        if i.unit != "%"
    }
    result = Benchmark(subject, peers, year, chosen, cells, growth, series)
    result.gaps = mark_sample_gaps(result, gaps(result))
    return result


def mark_sample_gaps(result: Benchmark, found: list[Gap]) -> list[Gap]:
    """A gap computed from any sample value says so in its own words, wherever it is shown;
    so does one resting on figures computed from the platform's demand records."""
    marked = []
    for gap in found:
        cells = list(result.cells.get(gap.indicator, {}).values())
        if any(c.is_sample for c in cells) and not gap.is_sample:
            gap = replace(gap, is_sample=True, text=f"{gap.text}{SAMPLE_SUFFIX}")
        if any(c.is_computed for c in cells) and not gap.text.endswith(COMPUTED_SUFFIX):
            gap = replace(gap, text=f"{gap.text}{COMPUTED_SUFFIX}")
        marked.append(gap)
    return marked


ORDER = [i.code for d in DEFAULT_DEFINITION.dimensions for i in d.indicators]


def _position(indicator: Indicator) -> tuple[int, str]:
    """Indicators in the order of the index's dimensions, others after them by code."""
    code = indicator.code
    return (ORDER.index(code) if code in ORDER else len(ORDER), code)


def _all_codes() -> list[str]:
    return list(Indicator.objects.values_list("code", flat=True))


def direction_of(code: str) -> int:
    """1 where more is better, -1 where less is (days to start a business), 0 where neither
    (planned area, counts of zones): from the indicator's own record."""
    direction = (
        Indicator.objects.filter(code=code).values_list("direction", flat=True).first()
        or Indicator.Direction.HIGHER
    )
    return _SIGN[direction]


_SIGN: dict[str, int] = {
    Indicator.Direction.HIGHER: 1,
    Indicator.Direction.LOWER: -1,
    Indicator.Direction.NEUTRAL: 0,
}
WORDS: dict[str, str] = {
    Indicator.Direction.LOWER: "越低越好",
    Indicator.Direction.NEUTRAL: "不分优劣",
}


def gaps(result: Benchmark) -> list[Gap]:
    """Where the subject stands against the peers' mean, indicator by indicator, in words:
    behind first, then ahead, each largest relative distance first; then the level ones and
    those without a better direction."""
    found = []
    for indicator in result.indicators:
        own = result.cells[indicator.code].get(result.subject.ref)
        others = [result.cells[indicator.code].get(p.ref) for p in result.peers]
        known = [c.value for c in others if c is not None and c.value is not None]
        if own is None or own.value is None or not known:
            continue
        mean = sum(known, Decimal(0)) / len(known)
        diff = own.value - mean
        sign = _SIGN.get(indicator.direction, 1)
        if own.unit == "%":
            amount, shown = format_value(abs(diff), PERCENT_POINT), abs(diff)
        elif mean:
            shown = abs(diff) / abs(mean) * 100
            amount = format_value(shown, "%")
        else:
            amount, shown = format_value(abs(diff), own.unit), abs(diff)
        level = rounded(shown, "%") == 0 or own.text == format_value(mean, own.unit)
        better = None if level or sign == 0 else (diff > 0) == (sign > 0)
        word = "高于" if diff > 0 else "低于"
        figures = f"{result.subject.label} {own.text}，均值 {format_value(mean, own.unit)}"
        if indicator.direction in WORDS:
            figures += f"；{WORDS[indicator.direction]}"
        if level:
            text = f"{indicator.name_zh}与{result.group_label}均值持平（{figures}）"
        else:
            text = f"{indicator.name_zh}{word}{result.group_label}均值 {amount}（{figures}）"
        size = abs(diff) / abs(mean) if mean else abs(diff)
        found.append(
            Gap(
                indicator.code,
                indicator.name_zh,
                own.value,
                mean,
                own.unit,
                better,
                text,
                direction=indicator.direction,
                size=Decimal(0) if level else size,
            )
        )
    rank = {BEHIND: 0, AHEAD: 1, LEVEL: 2, NEUTRAL: 3}
    return sorted(found, key=lambda g: (rank[g.status], -g.size))


def behind(result: Benchmark, limit: int = 3) -> list[Gap]:
    """The largest real gaps: worse than the peers' mean in the indicator's direction."""
    return [g for g in result.gaps if g.status == BEHIND][:limit]


def ahead(result: Benchmark, limit: int = 3) -> list[Gap]:
    """The largest advantages, in the indicator's direction."""
    return [g for g in result.gaps if g.status == AHEAD][:limit]


def radar(result: Benchmark) -> dict[str, Any]:
    """Each indicator min-max normalised to 0–100 across the compared subjects (less-is-better
    indicators reversed; those without a better direction left out). A subject without a value
    gets None on that axis — never the centre — and is named in `missing`."""
    axes, values = [], {s.ref: [] for s in result.subjects}  # type: ignore[var-annotated]
    missing: dict[str, list[str]] = {s.ref: [] for s in result.subjects}
    for indicator in result.indicators:
        sign = _SIGN.get(indicator.direction, 1)
        known = {
            ref: float(c.value)
            for ref, c in result.cells[indicator.code].items()
            if c.value is not None
        }
        if len(known) < 2 or sign == 0:
            continue
        low, high = min(known.values()), max(known.values())
        axes.append({"name": indicator.name_zh, "max": 100})
        for s in result.subjects:
            v = known.get(s.ref)
            if v is None:
                values[s.ref].append(None)
                missing[s.ref].append(indicator.name_zh)
                continue
            score = 100.0 if high == low else 100 * (v - low) / (high - low)
            values[s.ref].append(round(score if sign > 0 else 100 - score, 1))
    return {
        "indicators": axes,
        "series": [{"name": s.label, "value": values[s.ref]} for s in result.subjects],
        "missing": [
            {"name": s.label, "indicators": missing[s.ref]}
            for s in result.subjects
            if missing[s.ref]
        ],
    }


def missing_note(data: dict[str, Any]) -> str:
    """ "未知值不画入图形：武汉片区（跨境人民币结算额）", or "" when every value is known."""
    if not data.get("missing"):
        return ""
    named = "；".join(f"{m['name']}（{'、'.join(m['indicators'])}）" for m in data["missing"])
    return f"未知值不画入图形：{named}"


def chart_data(result: Benchmark) -> dict[str, Any]:
    """Data for the page's ECharts (built by the static charts.js from json_script)."""
    years = result.years
    series = {}
    for indicator in result.indicators:
        by_ref = result.series[indicator.code]
        series[indicator.code] = {
            "name": indicator.name_zh,
            "unit": indicator.unit,
            "years": years,
            "lines": [
                {
                    "name": s.label,
                    "data": [
                        rounded(c.value, c.unit)
                        if (c := by_ref.get(s.ref, {}).get(y)) and c.value is not None
                        else None
                        for y in years
                    ],
                }
                for s in result.subjects
            ],
        }
    bars = {
        i.code: {
            "name": i.name_zh,
            "unit": i.unit,
            "decimals": decimals_for(i.unit),
            "labels": [s.label for s in result.subjects],
            "values": [
                rounded(c.value, c.unit)
                if (c := result.cells[i.code].get(s.ref)) and c.value is not None
                else None
                for s in result.subjects
            ],
        }
        for i in result.indicators
    }
    return {"series": series, "bars": bars, "radar": radar(result), "year": result.year}


def parse_peers(text: str | list[str]) -> list[Subject]:
    items = text if isinstance(text, list) else re.split(r"[,，;；\n]+", text)
    from .subjects import subject_from_ref

    return [subject_from_ref(item) for item in items if item.strip()]


def subject_choices(kind: str) -> list[tuple[str, str]]:
    return [
        (
            s.ref,
            f"{s.label}（{s.zone.short_name_zh}）" if s.zone and s.kind != Kind.ZONE else s.label,
        )
        for s in subjects_of_kind(kind)
    ]


__all__ = [
    "RULES",
    "Benchmark",
    "Cell",
    "Gap",
    "ahead",
    "behind",
    "benchmark",
    "chart_data",
    "gaps",
    "missing_note",
    "parse_peers",
    "peers_by_rule",
    "subject_choices",
    "subject_for",
    "subjects_of_kind",
]
