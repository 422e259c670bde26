"""Charts for print formats, drawn on the server with matplotlib and a CJK font (PNG bytes).

The web pages draw the same data with ECharts; PDF and Word cannot run JavaScript.
"""

import io
import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from zimao.indicators.benchmarking import Benchmark, chart_data, missing_note
from zimao.indicators.units import decimals_for

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
DPI = 150


@dataclass(frozen=True)
class Chart:
    """A drawn chart; its title is the caption (the image itself has none), `note` is printed
    under it (what the chart leaves out), `shape` sizes it on the page."""

    title: str
    png: bytes
    note: str = ""
    shape: str = "wide"  # wide (full width, low) or square (radar)


@cache
def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend (no display on a server), imported at the first
    chart: it takes a quarter of a second, which every `zimao` command and server start would
    otherwise pay."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    return plt


def cjk_family() -> str:
    """The first installed CJK font (fonts-noto-cjk on Debian), or matplotlib's default."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in installed), "DejaVu Sans")


def _png(figure: "Figure") -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    pyplot().close(figure)
    return out.getvalue()


def _style() -> Any:
    return {"font.family": cjk_family(), "axes.unicode_minus": False, "font.size": 9}


def _frame(axes: Any) -> None:
    """No box around the plot: a label at the top never collides with a frame line."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", alpha=0.3)


def series_chart(data: dict[str, Any]) -> bytes:
    plt = pyplot()
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(6.4, 2.7))
        for line in data["lines"]:
            points = [
                (y, v) for y, v in zip(data["years"], line["data"], strict=True) if v is not None
            ]
            if points:
                axes.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker="o",
                    label=line["name"],
                )
        axes.set_xticks(data["years"], [str(y) for y in data["years"]])
        axes.set_ylabel(data["unit"])
        _frame(axes)
        axes.legend(fontsize=8, ncols=2, frameon=False)
        return _png(figure)


def bar_chart(
    labels: list[str],
    values: list[float | None],
    title: str = "",
    highlight: str = "",
    unit: str = "",
) -> bytes:
    """Bars with their value on top (to the unit's decimals); an unknown value is a labelled
    gap, not a bar of zero. `title` is unused: the caption under the image names the chart."""
    places = decimals_for(unit)
    plt = pyplot()
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(6.4, 2.7))
        heights = [v or 0 for v in values]
        colours = ["#c0392b" if label == highlight else "#5b8def" for label in labels]
        bars = axes.bar(labels, heights, color=colours)
        top = max(heights, default=0) or 1
        axes.set_ylim(0, top * 1.18)  # headroom: the labels stay inside the plot
        for bar, value in zip(bars, values, strict=True):
            text = "无数据" if value is None else f"{value:,.{places}f}"
            axes.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                          xytext=(0, 2), textcoords="offset points",
                          ha="center", va="bottom", fontsize=7)  # fmt: skip
        if unit:
            axes.set_ylabel(unit)
        axes.tick_params(axis="x", labelrotation=20)
        _frame(axes)
        return _png(figure)


def polygon(angles: list[float], values: list[float | None]) -> tuple[list[float], list[float]]:
    """The closed outline through the known values only: an unknown value is no vertex (not a
    point at the centre, which would read as the worst score)."""
    known = [(a, v) for a, v in zip(angles, values, strict=True) if v is not None]
    if not known:
        return [], []
    return [a for a, _ in known] + [known[0][0]], [v for _, v in known] + [known[0][1]]


def _wrap(name: str, width: int = 8) -> str:
    """A long indicator name on two lines, so it stays clear of the chart."""
    if len(name) <= width + 2:
        return name
    middle = math.ceil(len(name) / 2)
    return f"{name[:middle]}\n{name[middle:]}"


def radar_chart(data: dict[str, Any]) -> bytes:
    """Normalised scores on a radar. A subject's unknown value is left out: its polygon joins
    the known neighbours and the axis has no point for it (the caption's note names it)."""
    names = [i["name"] for i in data["indicators"]]
    plt = pyplot()
    with plt.rc_context(_style()):
        figure = plt.figure(figsize=(5.4, 5.4))
        axes: Any = figure.add_subplot(polar=True)  # a PolarAxes
        axes.set_theta_offset(math.pi / 2)  # the first axis at the top, clockwise
        axes.set_theta_direction(-1)
        angles = [2 * math.pi * k / len(names) for k in range(len(names))]
        for series in data["series"]:
            xs, ys = polygon(angles, series["value"])
            if not xs:
                continue
            (line,) = axes.plot(xs, ys, marker="o", markersize=3, label=series["name"])
            axes.fill(xs, ys, alpha=0.08, color=line.get_color())
        axes.set_xticks(angles)
        axes.set_xticklabels([_wrap(n) for n in names], fontsize=8)
        axes.tick_params(axis="x", pad=12)  # names outside the outer ring
        for label, angle in zip(axes.get_xticklabels(), angles, strict=True):
            x = math.sin(angle)
            label.set_horizontalalignment("left" if x > 0.1 else "right" if x < -0.1 else "center")
        axes.set_ylim(0, 100)
        axes.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=6, color="#777")
        axes.set_rlabel_position(180 / len(names))  # between the first two axes, off the names
        axes.legend(
            fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=4, frameon=False
        )
        return _png(figure)


def report_charts(report: Any) -> list[Chart]:
    """The charts a report prints: index scores, the first indicator over time and across the
    subjects, the radar."""
    charts = []
    index = report.chart_data.get("index") or {}
    if index.get("labels"):
        charts.append(
            Chart(
                "综合指数得分",
                bar_chart(index["labels"], index["values"], "", index.get("highlight", "")),
            )
        )
    result: Benchmark | None = report.chart_data.get("benchmark")
    if result is None or not result.indicators:
        return charts
    data = chart_data(result)
    first = next(
        (i.code for i in result.indicators if i.code == "trade_total"), result.indicators[0].code
    )
    series = data["series"][first]
    charts.append(Chart(f"{series['name']}变化（{series['unit']}）", series_chart(series)))
    bars = data["bars"][first]
    unknown = [label for label, v in zip(bars["labels"], bars["values"], strict=True) if v is None]
    charts.append(
        Chart(
            f"{result.year}年{bars['name']}（{bars['unit']}）",
            bar_chart(bars["labels"], bars["values"], "", report.subject.label, bars["unit"]),
            f"无数据：{'、'.join(unknown)}" if unknown else "",
        )
    )
    # The tall radar last: the three low charts fill a page together, the radar and the
    # text after it the next (no page left half empty before a chart that does not fit).
    if len(data["radar"]["indicators"]) >= 3 and report.kind == "benchmark":
        charts.append(
            Chart(
                "主要指标标准化得分雷达图（0—100，越靠外越好）",
                radar_chart(data["radar"]),
                missing_note(data["radar"]),
                "square",
            )
        )
    return charts
