"""Extraction throughput against the two segmenters, repeated, with the spread of each figure.

    .venv/bin/python benchmarks/extraction.py               # writes its two sections
    .venv/bin/python benchmarks/extraction.py --documents 100 --repeats 2 --no-write  # quick

On the same synthetic text (benchmarks/genre.py): jieba `lcut` (pure Python), rjieba `cut` as
the app calls it (zimao/text/segment.py: no HMM, the domain dictionary loaded) and the full
extractor (`zimao.text.extract.extract_text`), each timed `repeats` times on one core; then the
extractor in a pool of 1 and of 2 worker processes, `parallel_repeats` times, the two pool
sizes alternating so that both see the same machine load. `benchmarks/run.py` uses these
functions for `make bench`, and `--only extraction` runs them alone.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.genre import documents  # noqa: E402
from benchmarks.sections import REPORT, replace_section  # noqa: E402
from zimao.text.extract import extract_text  # noqa: E402

THROUGHPUT = "## Extraction throughput (one core)"
PARALLEL = "## Parallel extraction"
DOCUMENTS = 1000  # × 40 sentences: about 2 M characters
REPEATS = 5
PARALLEL_REPEATS = 3


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
        "runs": len(values),
    }


def rates(runs: int, chars: int, work: Callable[[], object]) -> dict[str, float]:
    """Characters per second of `runs` timed runs of `work`."""
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        values.append(chars / (time.perf_counter() - started))
    return spread(values)


def each(work: Callable[[str], object], texts: list[str]) -> None:
    """Process every text, keeping no results (as a pipeline that stores them would)."""
    for text in texts:
        work(text)


def segmentation_and_extraction(texts: list[str], repeats: int = REPEATS) -> dict[str, Any]:
    import jieba
    import rjieba

    from zimao.text.segment import load_dictionary

    jieba.setLogLevel(60)
    jieba.initialize()
    load_dictionary()  # the app's rjieba: reform terms and zone names added

    def app_cut(text: str) -> list[str]:
        return rjieba.cut(text, False)  # type: ignore[no-any-return]

    app_cut("预热")
    extract_text(texts[0])
    chars = sum(len(t) for t in texts)
    return {
        "chars": chars,
        "jieba": rates(repeats, chars, lambda: each(jieba.lcut, texts)),
        "rjieba": rates(repeats, chars, lambda: each(app_cut, texts)),
        "extract": rates(repeats, chars, lambda: each(extract_text, texts)),
    }


def _extract_count(text: str) -> int:
    return len(extract_text(text))


def workers(texts: list[str], repeats: int = PARALLEL_REPEATS) -> dict[str, Any]:
    """1 and 2 worker processes, alternating, `repeats` times; the speed-up of each pair."""
    chars = sum(len(t) for t in texts)
    runs: dict[int, list[float]] = {1: [], 2: []}
    with ProcessPoolExecutor(max_workers=1) as one, ProcessPoolExecutor(max_workers=2) as two:
        pools = {1: one, 2: two}
        for pool in pools.values():
            list(pool.map(_extract_count, texts[:4]))  # start and warm the workers
        for _ in range(repeats):
            for n, pool in pools.items():
                started = time.perf_counter()
                list(pool.map(_extract_count, texts, chunksize=8))
                runs[n].append(chars / (time.perf_counter() - started))
    return {
        "workers_1": spread(runs[1]),
        "workers_2": spread(runs[2]),
        "speedup": spread([b / a for a, b in zip(runs[1], runs[2], strict=True)]),
    }


def _rate(s: dict[str, float], bold: bool = False) -> str:
    median = f"**{s['median']:,.0f}**" if bold else f"{s['median']:,.0f}"
    return f"{median} | {s['min']:,.0f}–{s['max']:,.0f} | {s['stdev']:,.0f}"


def throughput_lines(seg: dict[str, Any]) -> list[str]:
    jieba, rjieba, extract = seg["jieba"], seg["rjieba"], seg["extract"]
    to_jieba = extract["median"] / jieba["median"]
    to_rjieba = extract["median"] / rjieba["median"]
    return [
        THROUGHPUT,
        "",
        f"Text: {seg['chars'] / 1e6:.1f} M characters of synthetic FTZ-genre text "
        "(`benchmarks/genre.py`, with PDF-like spacing and wrapped lines). Each step runs over "
        f"the whole text {extract['runs']} times on one core; characters per second, median, "
        "range and standard deviation of the runs.",
        "",
        "| step | median chars/s | min–max | stdev |",
        "| --- | ---: | ---: | ---: |",
        f"| jieba 0.42 `lcut`, segmentation only (pure Python) | {_rate(jieba)} |",
        "| rjieba `cut` as the app calls it (no HMM, domain dictionary), segmentation only "
        f"| {_rate(rjieba)} |",
        "| **Zimao full extraction** `extract_text` (normalise, zones, dates, quantities, "
        f"effects, cases, tables) | {_rate(extract, bold=True)} |",
        "",
        f"Full extraction runs at **{to_rjieba:.3f}×** the speed of rjieba segmenting the same "
        f"text ({1 / to_rjieba:.0f} times slower) and at {to_jieba:.2f}× the speed of jieba "
        f"segmenting it ({'faster' if to_jieba >= 1 else 'slower'} than the pure-Python "
        "segmenter). rjieba is the fair lower bound for one pass over the text: it is the "
        "segmenter the app uses (for the search index; the extractor itself does not segment, "
        "it scans with patterns and the gazetteer), and it reads every character once in "
        "compiled code. Against it, extraction costs about "
        f"{1 / to_rjieba:.0f}× a single read of the text; the comparison with jieba only says "
        "that extraction is in the range of a pure-Python segmenter. The project's target, at "
        f"least 1× jieba, is {'met' if to_jieba >= 1 else 'not met'} by the medians of this run"
        + (
            "; the runs overlap (extraction's range "
            f"{extract['min']:,.0f}–{extract['max']:,.0f}, jieba's {jieba['min']:,.0f}–"
            f"{jieba['max']:,.0f} chars/s), so the difference is within this run's noise."
            if extract["min"] < jieba["max"] and extract["max"] > jieba["min"]
            else "."
        ),
        "",
    ]


def parallel_lines(par: dict[str, Any]) -> list[str]:
    one, two, up = par["workers_1"], par["workers_2"], par["speedup"]
    return [
        PARALLEL,
        "",
        f"The full extractor over the same text in a pool of worker processes, {up['runs']} "
        "runs of each pool size, alternating (1, 2, 1, 2 …) so that both share the machine's "
        "load; characters per second.",
        "",
        "| worker processes | median chars/s | min–max | stdev |",
        "| --- | ---: | ---: | ---: |",
        f"| 1 | {_rate(one)} |",
        f"| 2 | {_rate(two)} |",
        "",
        f"Speed-up with 2 workers, per pair of runs: median {up['median']:.2f}×, range "
        f"{up['min']:.2f}–{up['max']:.2f}× ({os.cpu_count()} cores, shared with other work "
        f"while measured: load average {os.getloadavg()[0]:.1f})."
        + (
            " A pair above 2× on 2 cores shows other work slowing a 1-worker run, not the "
            "extractor: only a quiet machine gives the true speed-up."
            if up["max"] > 2
            else ""
        ),
        "",
    ]


def ingestion_summary(blocks: list[dict[str, float]]) -> str:
    """One line on the ingestion blocks: median and range of their times."""
    seconds = [b["seconds"] for b in blocks]
    s = spread(seconds)
    size = int(blocks[0]["documents"]) if blocks else 0
    return (
        f"Per block of {size}: median {s['median']:.2f} s, range {s['min']:.2f}–{s['max']:.2f} s "
        f"over {len(seconds)} blocks (one pass; blocks differ by the machine's load and by the "
        "growing database)."
    )


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--parallel-repeats", type=int, default=PARALLEL_REPEATS)
    parser.add_argument("--no-write", action="store_true", help="print, do not write the report")
    args = parser.parse_args(argv)
    texts = documents(args.documents, sentences_per_doc=40)
    print("segmentation and extraction ...", flush=True)
    seg = segmentation_and_extraction(texts, args.repeats)
    print("worker processes ...", flush=True)
    par = workers(texts, args.parallel_repeats)
    note = f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/extraction.py`."
    sections = [
        "\n".join([*throughput_lines(seg)[:2], note, "", *throughput_lines(seg)[2:]]),
        "\n".join(parallel_lines(par)),
    ]
    if not args.no_write:
        text = REPORT.read_text(encoding="utf-8")
        for section in sections:
            text = replace_section(text, section)
        REPORT.write_text(text, encoding="utf-8")
    print("\n".join(sections))
    return "\n".join(sections)


if __name__ == "__main__":
    main()
