"""Whether what a reader sees rests on sample figures, and the words that say so.

Sample observations (provenance `sample`) are invented for demonstrations: every page, export
and report that shows one marks it "样例", and a report built on any of them carries
`SAMPLE_BANNER` on every page.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from zimao.lib.pagecache import remembered

from .models import Observation, Provenance

SAMPLE_BANNER_TEXT = (
    "样例数据：本文含虚构的样例数值（标“样例”），仅供演示和测试，不代表真实统计，不得引用。"
)


def sample_banner() -> str:
    return _(SAMPLE_BANNER_TEXT)


def any_sample(items: Iterable[Any]) -> bool:
    """True when any item (an observation, a benchmark cell, an index input, …) is a sample."""
    return any(getattr(item, "is_sample", False) is True for item in items)


def banner_for(*sources: Any) -> str:
    """The banner a page or report shows, or "" when nothing in it is a sample.

    Each source may be anything with `uses_sample` (a benchmark, an index result) or
    `is_sample`, or an iterable of such things.
    """
    for source in sources:
        if getattr(source, "uses_sample", False) is True or getattr(source, "is_sample", 0) is True:
            return sample_banner()
        iterable = isinstance(source, Iterable) and not isinstance(source, str | bytes | dict)
        if iterable and any(banner_for(item) for item in source):
            return sample_banner()
    return ""


def sample_count() -> int:
    """How many sample observations are stored (the footer's public-source claim depends on it)."""
    return Observation.objects.filter(provenance=Provenance.SAMPLE).count()


def mark_sample_charts(result: Any, charts: dict[str, Any]) -> dict[str, Any]:
    """Name a subject "（样例）" in every chart (legend, axis label) whose values include a
    sample; `charts` is `benchmarking.chart_data(result)`, changed in place and returned."""
    suffix = _("（样例）")
    sample_refs: dict[str, set[str]] = {}  # indicator -> refs with a sample value
    for code, by_ref in result.series.items():
        for ref, by_year in by_ref.items():
            if any_sample(by_year.values()):
                sample_refs.setdefault(code, set()).add(ref)
    for code, by_ref in result.cells.items():
        for ref, cell in by_ref.items():
            if getattr(cell, "is_sample", False):
                sample_refs.setdefault(code, set()).add(ref)
    subjects = result.subjects
    for code, chart in charts.get("series", {}).items():
        for subject, line in zip(subjects, chart.get("lines", []), strict=False):
            if subject.ref in sample_refs.get(code, set()):
                line["name"] = f"{line['name']}{suffix}"
                chart["sample"] = True
    for code, chart in charts.get("bars", {}).items():
        labels = chart.get("labels", [])
        for i, subject in enumerate(subjects[: len(labels)]):
            if subject.ref in sample_refs.get(code, set()):
                labels[i] = f"{labels[i]}{suffix}"
                chart["sample"] = True
    radar = charts.get("radar", {})
    anywhere = set().union(*sample_refs.values()) if sample_refs else set()
    for subject, series in zip(subjects, radar.get("series", []), strict=False):
        if subject.ref in anywhere:
            series["name"] = f"{series['name']}{suffix}"
            radar["sample"] = True
    charts["uses_sample"] = bool(anywhere)
    return charts


def footer(request: Any) -> dict[str, Any]:
    """For the footer: whether sample figures are stored (asked only when a page renders it,
    and kept until observations change)."""
    return {"sample_figures": lambda: remembered("footer.samples", "", sample_count)}


def report_banner(report: Any) -> str:
    """The banner of a report (`reports.content.Report`) that shows any sample figure: in its
    tables and appendix (`notes`), gap sentences or charts; "" otherwise."""
    ids = {n.observation_id for n in getattr(report, "notes", [])}
    if ids and Observation.objects.filter(pk__in=ids, provenance=Provenance.SAMPLE).exists():
        return sample_banner()
    charts = getattr(report, "chart_data", {}) or {}
    return banner_for(*charts.values())


def add_docx_banner(document: Any, text: str) -> None:
    """Put the banner in the header of every section of a Word document (every page)."""
    if not text:
        return
    for section in document.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.text = text
        for run in paragraph.runs:
            run.bold = True
