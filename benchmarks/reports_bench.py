"""Report generation time: the benchmarking report of one area against three peers, built from
the reference data plus the sample indicator file, as PDF (WeasyPrint) and Word (python-docx).

Each repeat builds the report afresh (queries, index, charts) and renders it, as an export from
the page does. `python benchmarks/reports_bench.py` runs it alone and updates its section of
docs/benchmarks.md; `make bench` runs it with the rest.
"""

import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "docs" / "samples" / "indicators-sample.csv"
SUBJECT = "area:成都天府新区片区"
PEERS = ["area:南沙片区", "area:前海蛇口片区", "area:两江片区"]
HEADING = "## Report generation"


def prepare() -> None:
    """Reference data and the sample file in the (already migrated) benchmark database."""
    from django.core.management import call_command

    call_command("load_reference", verbosity=0)
    call_command("import_observations", str(SAMPLE), verbosity=0)


def timed(repeats: int, work: Any) -> dict[str, float]:
    times = []
    size = 0
    for _ in range(repeats):
        started = time.perf_counter()
        size = len(work())
        times.append(time.perf_counter() - started)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "stdev": statistics.stdev(times) if len(times) > 1 else 0.0,
        "bytes": size,
    }


def report_benchmark(repeats: int = 7) -> dict[str, dict[str, float]]:
    from zimao.indicators.subjects import subject_from_ref
    from zimao.reports.charts import report_charts
    from zimao.reports.content import build_benchmark
    from zimao.reports.render import render_docx, render_pdf

    subject, peers = subject_from_ref(SUBJECT), [subject_from_ref(p) for p in PEERS]

    def build() -> Any:
        return build_benchmark(subject, peers, 2023)

    build()  # warm-up: fonts, matplotlib caches
    return {
        "content (queries, index, gaps)": timed(repeats, lambda: [build()]),
        "content + charts (4 PNG, matplotlib)": timed(repeats, lambda: report_charts(build())),
        "PDF (build + charts + WeasyPrint)": timed(repeats, lambda: render_pdf(build())),
        "Word (build + charts + python-docx)": timed(repeats, lambda: render_docx(build())),
    }


def report_lines(results: dict[str, dict[str, float]], repeats: int = 7) -> list[str]:
    lines = [
        HEADING,
        "",
        f"The benchmarking report of 成都天府新区片区 against three peers for 2023 (reference data "
        f"plus `docs/samples/indicators-sample.csv`), {repeats} repeats after one warm-up. Each "
        "repeat recomputes the report from the database, as an export from the page does.",
        "",
        "| step | median s | min s | max s | stdev s | output |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        size = f"{r['bytes'] / 1024:,.0f} KiB" if r["bytes"] > 10 else "—"
        lines.append(
            f"| {name} | {r['median']:.2f} | {r['min']:.2f} | {r['max']:.2f} | "
            f"{r['stdev']:.2f} | {size} |"
        )
    return lines


def update_docs(lines: list[str]) -> None:
    """Replace (or append) this section of docs/benchmarks.md, leaving the rest as it was."""
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    head, found, tail = text.partition(HEADING)
    rest = ""
    if found:
        following = tail.find("\n## ")
        rest = tail[following:] if following >= 0 else ""
    path.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + rest, encoding="utf-8")


def main() -> None:
    from benchmarks.run import setup_django

    setup_django()
    prepare()
    results = report_benchmark()
    lines = report_lines(results)
    update_docs(lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
