"""The markup of the development sets' gold (tests/dev2, dev3, dev4): one entry a fact, built by
a short call (`Q("约三分之一", 33.33, "%", "约")`), located in its document and written out as
tests/devN/gold.jsonl.

An entry names its span by a substring of the document. When the substring is not unique, give
a context that is, with the span marked: "其中⟦**项⟧被". `occ=N` picks the N-th occurrence
instead (0-based).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

L, R = "⟦", "⟧"
INC, DEC = "increase", "decrease"

Entry = tuple[str, str, int | None, dict[str, Any]]


def Q(
    sub: str,
    value: float,
    unit: str,
    approx: str | None = None,
    vmax: float | None = None,
    occ: int | None = None,
    source: str | None = None,
) -> Entry:
    """A quantity; `source` names where a bare table cell's unit comes from."""
    fields: dict[str, Any] = {"value": value, "value_max": vmax, "unit": unit, "approx": approx}
    if source:
        fields["unit_source"] = source
    return ("quantity", sub, occ, {**fields, "redacted": False})


def RQ(sub: str, unit: str, occ: int | None = None) -> Entry:
    """A redacted count (**项)."""
    fields = {"value": None, "value_max": None, "unit": unit, "approx": None, "redacted": True}
    return ("quantity", sub, occ, fields)


def Z(sub: str, zone: str, area: str | None = None, occ: int | None = None) -> Entry:
    return ("zone", sub, occ, {"zone": zone, "area": area})


def D(sub: str, date: str | None, occ: int | None = None) -> Entry:
    """A date; None for a redacted one (****年)."""
    return ("date", sub, occ, {"date": date, "redacted": date is None})


def E(
    sub: str,
    measure: str,
    direction: str,
    before: float | None = None,
    after: float | None = None,
    unit: str | None = None,
    pct: float | None = None,
    abs_: float | None = None,
    occ: int | None = None,
    **extra: Any,
) -> Entry:
    """An effect; the change in per cent follows from before and after unless given."""
    if before is not None and after is not None and pct is None:
        pct = round((after - before) / before * 100, 2)
    fields = {
        "measure": measure,
        "before": before,
        "after": after,
        "unit": unit,
        "change_pct": pct,
        "change_abs": abs_,
        "direction": direction,
        **extra,
    }
    return ("effect", sub, occ, fields)


def C(sub: str, zone: str, domain: str) -> Entry:
    """A case: its title is its span."""
    return ("case", sub, None, {"title": sub, "zone": zone, "domain": domain})


def locate(text: str, sub: str, occ: int | None) -> tuple[int, int]:
    if L in sub:
        before, rest = sub.split(L, 1)
        inner, after = rest.split(R, 1)
        needle = before + inner + after
        offset = len(before)
    else:
        needle, inner, offset = sub, sub, 0
    positions = []
    start = text.find(needle)
    while start >= 0:
        positions.append(start)
        start = text.find(needle, start + 1)
    if occ is None:
        if len(positions) != 1:
            raise ValueError(f"{sub!r} occurs {len(positions)} times")
        position = positions[0]
    else:
        position = positions[occ]
    return position + offset, position + offset + len(inner)


def read_as_extracted(path: Path) -> str:
    """The document as the extractor reads it: offsets are into that text."""
    from zimao.text.read import read_bytes

    return read_bytes(path.read_bytes(), path.name).text


def build(
    facts: Mapping[str, Iterable[Entry]],
    docs: Path,
    read: Callable[[Path], str] = read_as_extracted,
    may_overlap: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The gold records, in document order; an entry that is not found once, a fact given
    twice, or two facts of one type that overlap (but for the types in `may_overlap`) stop the
    build."""
    records = []
    for name, entries in sorted(facts.items()):
        text = read(docs / name)
        seen = set()
        for kind, sub, occ, fields in entries:
            try:
                start, end = locate(text, sub, occ)
            except (ValueError, IndexError) as exc:
                raise ValueError(f"{name}: {exc}") from None
            key = (kind, start, end)
            if key in seen:
                raise ValueError(f"{name}: duplicate {key}")
            seen.add(key)
            records.append(
                {"doc": name, "type": kind, "start": start, "end": end, "text": text[start:end]}
                | fields
            )
    records.sort(key=lambda r: (r["doc"], r["start"], r["end"], r["type"]))
    by_type: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        by_type.setdefault((r["doc"], r["type"]), []).append(r)
    for (doc, kind), found in by_type.items():
        if kind in may_overlap:
            continue
        for a, b in pairwise(found):
            if a["end"] > b["start"]:
                raise ValueError(f"{doc}: overlapping {kind} {a['text']!r} {b['text']!r}")
    return records


def write(gold: list[dict[str, Any]], path: Path) -> None:
    """One JSON record a line, Chinese as it is, and the count by type on standard output."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for record in gold:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for record in gold:
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    print(len(gold), "facts", dict(sorted(counts.items())))
