"""What a report says, computed afresh from the records at every export.

Every figure taken from an observation gets a note number; the appendix lists each one with
its indicator, subject, period, value and source, so a reader can trace any number.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zimao.indicators.benchmarking import (
    AHEAD,
    BEHIND,
    Benchmark,
    Cell,
    ahead,
    behind,
    benchmark,
    subjects_of_kind,
)
from zimao.indicators.derived import Derived, growth_rate, implementation_rate, innovation_count
from zimao.indicators.index import IndexDefinition, IndexResult, compute_index, current_version
from zimao.indicators.models import IndexVersion, Indicator, Observation
from zimao.indicators.periods import period_label
from zimao.indicators.subjects import Kind, Subject
from zimao.indicators.units import format_value
from zimao.reforms.models import Innovation
from zimao.replication.models import Adoption

SECTION_TITLES = {
    "summary": "摘要",
    "suggestions": "对策建议",
    "outlook": "下一步工作",
}
BENCHMARK_SECTIONS = ("summary", "suggestions")
ANNUAL_SECTIONS = ("summary", "outlook")


@dataclass(frozen=True)
class SourceNote:
    number: int
    indicator: str
    subject: str
    period: str
    value: str
    source: str
    observation_id: int
    original: str = ""  # the value as reported, with the exchange rate and its source


@dataclass(frozen=True)
class Figure:
    """A number as printed, with its note number (None for derived or missing values)."""

    text: str
    note: int | None = None
    value: Decimal | None = None
    mark: str = ""  # a letter pointing to a note under the table


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Figure]]
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    title: str
    subject: Subject
    year: int
    generated: str
    sections: dict[str, str]
    standing: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    # (heading, sentences): behind the peers, ahead of them, level or without a direction
    gap_groups: list[tuple[str, list[str]]] = field(default_factory=list)
    innovations: list[dict[str, str]] = field(default_factory=list)
    adoptions: list[dict[str, str]] = field(default_factory=list)
    notes: list[SourceNote] = field(default_factory=list)
    chart_data: dict[str, Any] = field(default_factory=dict)
    peers: list[Subject] = field(default_factory=list)
    progress: Any = None  # a progress report's period figures (`progress.Progress`)

    def section_title(self, key: str) -> str:
        return SECTION_TITLES[key]

    @property
    def sample_banner(self) -> str:
        """Said on every page when any figure of the report is a sample value."""
        from zimao.indicators.provenance import report_banner

        return report_banner(self)

    @property
    def section_items(self) -> list[tuple[str, str]]:
        keys = BENCHMARK_SECTIONS if self.kind == "benchmark" else ANNUAL_SECTIONS  # progress too
        return [(SECTION_TITLES[k], self.sections.get(k, "")) for k in keys]


class SourceBook:
    """Hands out one note number per observation, in order of first use."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}
        self.notes: list[SourceNote] = []

    def figure(self, cell: Cell | None, label: str = "") -> Figure:
        if cell is None or cell.observation_id is None:
            return Figure("—" if cell is None else cell.text)
        if cell.observation_id not in self.numbers:
            o = Observation.objects.select_related("indicator").get(pk=cell.observation_id)
            number = len(self.notes) + 1
            self.numbers[cell.observation_id] = number
            self.notes.append(
                SourceNote(
                    number,
                    o.indicator.name_zh,
                    label or o.subject,
                    period_label(o.period),
                    cell.text,
                    o.source,
                    o.pk,
                    cell.original_text,
                )
            )
        return Figure(cell.text, self.numbers[cell.observation_id], cell.value)


def _index(
    subject: Subject, year: int, version: IndexVersion | None
) -> tuple[IndexResult, IndexVersion] | None:
    version = version or current_version()
    if version is None:
        return None
    definition = IndexDefinition.from_data(version.definition)
    result = compute_index(definition, subjects_of_kind(subject.kind), year)
    result.scores = [s for s in result.scores if s.coverage > 0]
    return result, version


def _standing(
    subject: Subject, peers: list[Subject], year: int, version: IndexVersion | None
) -> tuple[list[str], dict[str, Any]]:
    found = _index(subject, year, version)
    if found is None:
        return [], {}
    result, saved = found
    own = result.score_of(subject.ref)
    ranked = [s for s in result.scores if s.score is not None]
    lines = []
    if own is None or own.score is None:
        lines.append(
            f"{subject.label} {year} 年数据不足，"
            f"未计入《{saved.name}》（第 {saved.number} 版）排名。"
        )
    else:
        lines.append(
            f"按《{saved.name}》（第 {saved.number} 版），"
            f"{subject.label} {year} 年得分 {own.score:.2f}，"
            f"在有数据的 {len(ranked)} 个{subject.kind_label}中列第 {own.rank} 位"
            f"（缺失指标 {own.missing} 个）。"
        )
        group = [s for s in ranked if s.subject.ref in {subject.ref, *(p.ref for p in peers)}]
        if peers and group:
            position = [s.subject.ref for s in group].index(subject.ref) + 1
            lines.append(f"在本报告的 {len(group)} 个对比对象中列第 {position} 位。")
        names = {d.code: d.name for d in result.definition.dimensions}
        best = [names[k] for k, v in own.dimensions.items() if v is not None and v >= 75]
        weak = [names[k] for k, v in own.dimensions.items() if v is not None and v < 40]
        if best:
            lines.append(f"相对领先的维度：{'、'.join(best)}。")
        if weak:
            lines.append(f"相对薄弱的维度：{'、'.join(weak)}。")
    chart = {
        "labels": [s.subject.label for s in ranked],
        "values": [round(s.score or 0, 2) for s in ranked],
        "highlight": subject.label,
    }
    return lines, chart


def _comparison_table(result: Benchmark, book: SourceBook) -> Table:
    header = ["指标", *[s.label for s in result.subjects]]
    rows = []
    for indicator in result.indicators:
        row = [
            Figure(
                f"{indicator.name_zh}（{indicator.unit}）" if indicator.unit else indicator.name_zh
            )
        ]
        for s in result.subjects:
            row.append(book.figure(result.cells[indicator.code].get(s.ref), s.label))
        rows.append(row)
    return Table(f"{result.year} 年主要指标对比", header, rows)


class Marks:
    """Letters for notes under a table (a, b, …), one per note."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def growth(self, d: Derived, label: str) -> Figure:
        if d.value is None:
            return Figure("—")
        text = format_value(d.value, "%")
        if not d.fx_note:
            return Figure(text, None, d.value)
        mark = chr(ord("a") + len(self.notes))
        self.notes.append(f"{mark}　{label}：{d.fx_note}。")
        return Figure(text, None, d.value, mark)


def _growth_table(result: Benchmark) -> Table:
    header = ["指标", *[s.label for s in result.subjects]]
    rows = []
    marks = Marks()
    for indicator in result.indicators:
        if indicator.code not in result.growth:
            continue
        row = [Figure(indicator.name_zh)]
        for s in result.subjects:
            d = result.growth[indicator.code][s.ref]
            row.append(marks.growth(d, f"{s.label}{indicator.name_zh}"))
        rows.append(row)
    return Table(
        f"{result.year} 年同比增长（%，由上表数值与上年数值计算）", header, rows, marks.notes
    )


def gap_groups(result: Benchmark) -> list[tuple[str, list[str]]]:
    """The gap sentences under three headings, each largest relative distance first."""
    group = result.group_label
    behind_ = [g.text for g in result.gaps if g.status == BEHIND]
    ahead_ = [g.text for g in result.gaps if g.status == AHEAD]
    rest = [g.text for g in result.gaps if g.status not in {BEHIND, AHEAD}]
    return [
        (heading, texts)
        for heading, texts in (
            (f"落后于{group}均值（按指标方向）", behind_),
            (f"领先于{group}均值（按指标方向）", ahead_),
            ("持平或不分优劣", rest),
        )
        if texts
    ]


def _innovations(subject: Subject, year: int) -> list[dict[str, str]]:
    items = Innovation.objects.select_related("zone", "area", "domain").filter(published=True)
    if subject.kind == Kind.AREA and subject.area is not None:
        items = items.filter(area=subject.area)
    elif subject.zone is not None:
        items = items.filter(zone=subject.zone)
    items = items.filter(created_at__year=year).exclude(state=Innovation.State.WITHDRAWN)
    return [
        {
            "title": i.title,
            "state": str(i.get_state_display()),
            "domain": i.domain.name_zh if i.domain else "—",
            "selection": str(i.get_selection_display()) if i.selection else "—",
        }
        for i in items
    ]


def _adoptions(subject: Subject, year: int) -> list[dict[str, str]]:
    if subject.zone is None:
        return []
    adoptions = Adoption.objects.select_related("item", "item__batch").filter(
        zone=subject.zone, date__startswith=str(year)
    )
    if subject.kind == Kind.AREA and subject.area is not None:
        adoptions = adoptions.filter(area=subject.area)
    return [
        {
            "item": a.item.title,
            "batch": a.item.batch.label,
            "status": str(a.get_status_display()),
            "date": a.date,
        }
        for a in adoptions
    ]


def default_sections(
    kind: str, subject: Subject, year: int, result: Benchmark | None = None
) -> dict[str, str]:
    """Starting text the author edits; it only restates what the tables show. The gaps named
    are those where the subject is worse than the peers' mean in the indicator's direction
    (fewer days to start a business is better), largest relative distance first."""
    if kind == "benchmark":
        summary = f"本报告将{subject.label}{year}年主要指标与对标对象逐项比较。"
        if result is not None:
            worse, better = behind(result), ahead(result)
            if worse:
                summary += "主要差距：" + "；".join(g.text for g in worse) + "。"
            elif result.gaps:
                summary += "在有可比数据的指标上，未见落后于对标对象均值之处。"
            if better:
                summary += "主要优势：" + "；".join(g.text for g in better) + "。"
        return {"summary": summary, "suggestions": "（请填写针对上述差距的对策建议。）"}
    return {
        "summary": f"本报告汇总{subject.label}{year}年主要指标、片区情况、"
        "试点任务实施和制度创新进展。",
        "outlook": "（请填写下一年度的重点工作。）",
    }


def period_end(year: int) -> date:
    """The last day of a report's year: the day its \"as of\" figures are read at."""
    return date(year, 12, 31)


def build_benchmark(
    subject: Subject,
    peers: list[Subject],
    year: int,
    sections: dict[str, str] | None = None,
    version: IndexVersion | None = None,
    title: str = "",
) -> Report:
    result = benchmark(subject, peers, year)
    book = SourceBook()
    standing, index_chart = _standing(subject, peers, year, version)
    gap_texts = [g.text for g in result.gaps]
    merged = default_sections("benchmark", subject, year, result) | (sections or {})
    report = Report(
        kind="benchmark",
        title=title or f"{subject.label}{year}年对标分析报告",
        subject=subject,
        year=year,
        generated=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        sections=merged,
        standing=standing,
        gaps=gap_texts,
        gap_groups=gap_groups(result),
        peers=peers,
    )
    report.tables = [_comparison_table(result, book), _growth_table(result)]
    rate = implementation_rate(subject, period_end(year))
    count = innovation_count(subject, year=year)
    report.tables.append(
        Table(
            "本平台记录（非统计数据）",
            ["项目", subject.label, "计算方法"],
            [
                [
                    Figure(f"试点任务实施率（截至 {period_end(year).isoformat()}）"),
                    Figure(format_value(rate.value, "%")),
                    Figure(rate.formula),
                ],
                [
                    Figure(f"{year} 年登记的制度创新成果数"),
                    Figure(format_value(count.value, "项")),
                    Figure(count.formula),
                ],
            ],
        )
    )
    report.innovations = _innovations(subject, year)
    report.adoptions = _adoptions(subject, year)
    report.notes = book.notes
    report.chart_data = {"benchmark": result, "index": index_chart}
    return report


ANNUAL_INDICATORS = (
    "trade_total", "fdi_actual", "new_enterprises", "new_foreign_enterprises", "cross_border_rmb",
    "institutional_innovations", "replicated_total",
)  # fmt: skip


def build_annual(
    zone: Subject, year: int, sections: dict[str, str] | None = None, title: str = ""
) -> Report:
    """The zone's year: its own figures against the year before, its areas side by side,
    pilot-task implementation, innovations and replication."""
    book = SourceBook()
    areas = [s for s in subjects_of_kind(Kind.AREA) if s.zone == zone.zone]
    merged = default_sections("annual", zone, year) | (sections or {})
    report = Report(
        kind="annual",
        title=title or f"{zone.label}{year}年度发展报告",
        subject=zone,
        year=year,
        generated=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        sections=merged,
    )
    own = benchmark(zone, [], year, list(ANNUAL_INDICATORS))
    rows = []
    marks = Marks()
    for indicator in own.indicators:
        cell = own.cells[indicator.code].get(zone.ref)
        previous = own.series[indicator.code].get(zone.ref, {}).get(year - 1)
        growth = growth_rate(indicator.code, zone, str(year))
        rows.append(
            [
                Figure(f"{indicator.name_zh}（{indicator.unit}）"),
                book.figure(cell, zone.label),
                book.figure(previous, zone.label),
                marks.growth(growth, f"{zone.label}{indicator.name_zh}"),
            ]
        )
    report.tables.append(
        Table(
            f"{zone.label}主要指标",
            ["指标", f"{year}年", f"{year - 1}年", "同比"],
            rows,
            marks.notes,
        )
    )
    if areas:
        by_area = benchmark(areas[0], areas[1:], year, list(ANNUAL_INDICATORS))
        report.tables.append(_comparison_table(by_area, book))
        report.tables[-1].title = f"各片区 {year} 年主要指标"
        report.chart_data["benchmark"] = by_area
    rate = implementation_rate(zone, period_end(year))
    report.standing = [
        f"截至 {period_end(year).isoformat()}，试点任务实施率 {format_value(rate.value, '%')}"
        f"（{rate.formula}）。"
    ]
    report.innovations = _innovations(zone, year)
    report.adoptions = _adoptions(zone, year)
    report.notes = book.notes
    return report


def indicator_names() -> dict[str, str]:
    return dict(Indicator.objects.values_list("code", "name_zh"))
