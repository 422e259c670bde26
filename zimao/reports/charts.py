"""Charts for print formats, drawn on the server with matplotlib and a CJK font (PNG bytes).

The web pages draw the same data with ECharts; PDF and Word cannot run JavaScript.
"""

import io
import math
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from zimao.indicators.benchmarking import Benchmark, chart_data

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
DPI = 150


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes


def cjk_family() -> str:
    """The first installed CJK font (fonts-noto-cjk on Debian), or matplotlib's default."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in installed), "DejaVu Sans")


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return out.getvalue()


def _style() -> Any:
    return {"font.family": cjk_family(), "axes.unicode_minus": False, "font.size": 9}


def series_chart(data: dict[str, Any]) -> bytes:
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(6.4, 3.2))
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
        axes.set_title(f"{data['name']}（{data['unit']}）")
        axes.grid(axis="y", alpha=0.3)
        axes.legend(fontsize=8, ncols=2)
        return _png(figure)


def bar_chart(
    labels: list[str], values: list[float | None], title: str, highlight: str = ""
) -> bytes:
    with plt.rc_context(_style()):
        figure, axes = plt.subplots(figsize=(6.4, 3.0))
        heights = [v or 0 for v in values]
        colours = ["#c0392b" if label == highlight else "#5b8def" for label in labels]
        bars = axes.bar(labels, heights, color=colours)
        for bar, value in zip(bars, values, strict=True):
            text = "无数据" if value is None else f"{value:,.1f}"
            axes.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                          ha="center", va="bottom", fontsize=7)  # fmt: skip
        axes.set_title(title)
        axes.tick_params(axis="x", labelrotation=20)
        axes.grid(axis="y", alpha=0.3)
        return _png(figure)


def radar_chart(data: dict[str, Any]) -> bytes:
    names = [i["name"] for i in data["indicators"]]
    with plt.rc_context(_style()):
        figure = plt.figure(figsize=(5.6, 4.4))
        axes = figure.add_subplot(polar=True)
        angles = [2 * math.pi * k / len(names) for k in range(len(names))]
        for series in data["series"]:
            values = [v if v is not None else 0 for v in series["value"]]
            axes.plot([*angles, angles[0]], [*values, values[0]], label=series["name"])
            axes.fill([*angles, angles[0]], [*values, values[0]], alpha=0.08)
        axes.set_xticks(angles)
        axes.set_xticklabels(names, fontsize=7)
        axes.set_ylim(0, 100)
        axes.set_title("各指标标准化得分（0—100，缺失记于圆心）", fontsize=9)
        axes.legend(fontsize=7, loc="upper right", bbox_to_anchor=(1.35, 1.1))
        return _png(figure)


def report_charts(report: Any) -> list[Chart]:
    """The charts a report prints: index scores, radar, the first indicator over time, bars."""
    charts = []
    index = report.chart_data.get("index") or {}
    if index.get("labels"):
        charts.append(
            Chart(
                "综合指数得分",
                bar_chart(
                    index["labels"], index["values"], "综合指数得分", index.get("highlight", "")
                ),
            )
        )
    result: Benchmark | None = report.chart_data.get("benchmark")
    if result is None or not result.indicators:
        return charts
    data = chart_data(result)
    if len(data["radar"]["indicators"]) >= 3 and report.kind == "benchmark":
        charts.append(Chart("主要指标雷达图", radar_chart(data["radar"])))
    first = next(
        (i.code for i in result.indicators if i.code == "trade_total"), result.indicators[0].code
    )
    charts.append(
        Chart(f"{data['series'][first]['name']}变化", series_chart(data["series"][first]))
    )
    bars = data["bars"][first]
    charts.append(
        Chart(
            f"{result.year}年{bars['name']}",
            bar_chart(
                bars["labels"],
                bars["values"],
                f"{result.year}年{bars['name']}（{bars['unit']}）",
                report.subject.label,
            ),
        )
    )
    return charts
