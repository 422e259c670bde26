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
from .units import UnitError, convert, format_value

YEAR = re.compile(r"^\d{4}$")
SAMPLE_SUFFIX = "【样例数据】"
RULES = {"manual": _("手工选择"), "same_batch": _("同批次设立"), "top_n": _("按指标排名前 N 位")}


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    unit: str
    observation_id: int | None = None
    source: str = ""
    flags: str = ""
    is_sample: bool = False  # an invented sample value: shown with its 样例 marker

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit)


@dataclass(frozen=True)
class Gap:
    indicator: str
    name: str
    value: Decimal
    mean: Decimal
    unit: str
    better: bool
    text: str
    is_sample: bool = False  # the sentence rests on a sample value (its text says so)


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
    return Cell(value, unit, o.pk, o.source, o.flags, o.is_sample)


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
    """A gap computed from any sample value says so in its own words, wherever it is shown."""
    marked = []
    for gap in found:
        cells = result.cells.get(gap.indicator, {}).values()
        if any(c.is_sample for c in cells) and not gap.is_sample:
            gap = replace(gap, is_sample=True, text=f"{gap.text}{SAMPLE_SUFFIX}")
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
    for d in DEFAULT_DEFINITION.dimensions:
        for i in d.indicators:
            if i.code == code:
                return i.direction
    return 1


def gaps(result: Benchmark) -> list[Gap]:
    """Where the subject stands against the peers' mean, indicator by indicator, in words."""
    found = []
    for indicator in result.indicators:
        own = result.cells[indicator.code].get(result.subject.ref)
        others = [result.cells[indicator.code].get(p.ref) for p in result.peers]
        known = [c.value for c in others if c is not None and c.value is not None]
        if own is None or own.value is None or not known:
            continue
        mean = sum(known, Decimal(0)) / len(known)
        diff = own.value - mean
        higher = diff >= 0
        better = higher if direction_of(indicator.code) > 0 else not higher
        word = "高于" if higher else "低于"
        if own.unit == "%":
            amount = f"{abs(diff):.1f} 个百分点"
        elif mean:
            amount = f"{abs(diff) / mean * 100:.1f}%"
        else:
            amount = format_value(abs(diff), own.unit)
        text = (
            f"{indicator.name_zh}{word}{result.group_label}均值 {amount}"
            f"（{result.subject.label} {own.text}，均值 {format_value(mean, own.unit)}）"
        )
        found.append(
            Gap(indicator.code, indicator.name_zh, own.value, mean, own.unit, better, text)
        )
    return found


def radar(result: Benchmark) -> dict[str, Any]:
    """Each indicator min-max normalised to 0–100 across the compared subjects (less-is-better
    indicators reversed); subjects without a value get none."""
    axes, values = [], {s.ref: [] for s in result.subjects}  # type: ignore[var-annotated]
    for indicator in result.indicators:
        known = {
            ref: float(c.value)
            for ref, c in result.cells[indicator.code].items()
            if c.value is not None
        }
        if len(known) < 2:
            continue
        low, high = min(known.values()), max(known.values())
        axes.append({"name": indicator.name_zh, "max": 100})
        for s in result.subjects:
            v = known.get(s.ref)
            if v is None:
                values[s.ref].append(None)
                continue
            score = 100.0 if high == low else 100 * (v - low) / (high - low)
            values[s.ref].append(
                round(score if direction_of(indicator.code) > 0 else 100 - score, 1)
            )
    return {
        "indicators": axes,
        "series": [{"name": s.label, "value": values[s.ref]} for s in result.subjects],
    }


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
                        float(c.value)
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
            "labels": [s.label for s in result.subjects],
            "values": [
                float(c.value)
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
    "benchmark",
    "chart_data",
    "gaps",
    "parse_peers",
    "peers_by_rule",
    "subject_choices",
    "subject_for",
    "subjects_of_kind",
]
