"""Run every extractor over a document and return facts with spans in the original text."""

import re
import time
from bisect import bisect_left
from itertools import accumulate
from pathlib import Path

from .dates import find_dates
from .effects import find_effects
from .facts import Fact
from .gazetteer import Gazetteer, load_gazetteer
from .normalize import Normalized, View, normalize
from .quantities import find_quantities
from .read import DocumentError, read_document
from .structure import (
    cases_from_rows,
    find_aligned_rows,
    find_case_captions,
    find_case_headings,
    find_case_titles,
    find_table_rows,
)
from .tables import find_table_quantities

# Hard limits per document. Real documents yield about one fact per 50 characters and are
# extracted at several hundred thousand characters a second, far inside both.
MAX_FACTS = 50_000
TIME_BUDGET = 60.0  # seconds


class ExtractionLimit(DocumentError):
    """A document went past a hard limit of extraction; the message (Chinese first, as
    stored as the document's failure reason) says which."""


class Budget:
    """A deadline for the extraction of one document; check() raises once it has passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ExtractionLimit(f"提取超时（超过 {self.seconds:g} 秒）")


class _Count:
    def __init__(self, limit: int, start: int = 0) -> None:
        self.limit, self.total = limit, 0
        self.add(start)

    def add(self, count: int) -> None:
        self.total += count
        if self.total > self.limit:
            raise ExtractionLimit(f"事实数量超过上限 {self.limit}")


_ANCHOR = re.compile("自由贸易试验区|自贸试验区|自贸区|片区")


def _zone_matches(text: str, gazetteer: Gazetteer) -> list[re.Match[str]]:
    """Run the large name pattern only in windows around 自贸/片区 anchors (much faster)."""
    matches: list[re.Match[str]] = []
    searched_to = 0
    for anchor in _ANCHOR.finditer(text):
        if anchor.end() <= searched_to:
            continue
        start = max(searched_to, anchor.start() - 16)
        end = min(len(text), anchor.end() + 16)
        for match in gazetteer.pattern.finditer(text, start, end):
            if match.end() <= searched_to:
                continue
            if match.start() >= anchor.end():
                break
            matches.append(match)
            searched_to = match.end()
    return matches


def find_zones(matches: list[re.Match[str]], gazetteer: Gazetteer) -> list[Fact]:
    """One fact per mention; 上海自贸试验区前海蛇口片区 (an area of another zone right after a
    zone name) is two mentions."""
    facts = []
    for match in matches:
        zone = match.group("z1") or match.group("z2")
        area = match.group("area") or match.group("area_only")
        place = gazetteer.resolve(zone, area)
        if (
            zone
            and area
            and place.area is None
            and gazetteer.areas_by_alias[area].zone != place.zone
        ):
            other = gazetteer.areas_by_alias[area]
            facts.append(
                Fact(
                    "zone",
                    match.start(),
                    match.start("area"),
                    0.98,
                    {"zone": place.zone, "area": None},
                )
            )
            facts.append(
                Fact(
                    "zone",
                    match.start("area"),
                    match.end(),
                    0.9,
                    {"zone": other.zone, "area": other.area},
                )
            )
            continue
        fields = {"zone": place.zone, "area": place.area}
        facts.append(Fact("zone", match.start(), match.end(), 0.98 if zone else 0.9, fields))
    return facts


def _to_original(facts: list[Fact], view: View, original: str) -> list[Fact]:
    for fact in facts:
        fact.start, fact.end = view.span(fact.start, fact.end)
        fact.text = original[fact.start : fact.end]
    return facts


def extract_normalized(
    doc: Normalized,
    gazetteer: Gazetteer | None = None,
    *,
    max_facts: int = MAX_FACTS,
    budget: Budget | None = None,
) -> list[Fact]:
    """Run every extractor on the view it needs and map all spans to the original text.

    Raises ExtractionLimit when the document yields more than `max_facts` facts or takes
    longer than the budget.
    """
    budget = budget or Budget(TIME_BUDGET)
    check = budget.check
    gazetteer = gazetteer or load_gazetteer()
    flow = doc.flow.text
    places = _zone_matches(flow, gazetteer)
    zones = find_zones(places, gazetteer)
    dates = find_dates(flow)
    count = _Count(max_facts, len(zones) + len(dates))
    check()
    quantities = find_quantities(flow, sorted((d.start, d.end) for d in dates), check)
    quantities = [q for q in quantities if not _across_cells(q, doc.flow, doc.original)]
    count.add(len(quantities))
    effects = find_effects(flow, quantities, check)
    effects = [e for e in effects if not _verb_across_cells(e, doc.flow, doc.original)]
    count.add(len(effects))
    years = sorted((d.start, d.fields["date"]) for d in dates if d.fields["date"])
    _annotate_context(quantities, zones, years)
    reported = [q for q in quantities if not q.fields.pop("rank", False)]
    facts = _to_original(zones + dates + reported + effects, doc.flow, doc.original)
    check()
    cells, row_effects = find_table_quantities(doc.raw.text)
    cells = _to_original(cells, doc.raw, doc.original)
    row_effects = _to_original(row_effects, doc.raw, doc.original)
    if cells:
        facts = _without_overlaps(facts, cells)
    if row_effects:
        # a before/after row is the table's own statement; a change read across its cells
        # from the running text (压减比例⏎开办餐饮店⇥7个) gives way to it
        facts = _without_overlaps(row_effects, [f for f in facts if f.type == "effect"]) + [
            f for f in facts if f.type != "effect"
        ]
    count.add(len(facts) - len(zones) - len(dates) - len(reported) - len(effects))
    check()
    rows = _without_overlaps(find_aligned_rows(doc.raw.text), find_table_rows(doc.raw.text))
    count.add(len(rows))
    facts += _to_original(rows, doc.raw, doc.original)
    check()
    lines = doc.lines.text
    cases = _to_original(
        find_case_titles(lines, gazetteer) + find_case_captions(lines), doc.lines, doc.original
    )
    cases = _without_overlaps(
        cases,
        _to_original(
            find_case_headings(doc.flow, doc.original, gazetteer, places), doc.flow, doc.original
        ),
    )
    cases = _without_overlaps(cases, cases_from_rows(rows))
    count.add(len(cases))
    facts += cases
    facts.sort(key=lambda f: (f.start, f.end, f.type))
    check()
    return facts


# Between a number and its unit, a tab separates table cells; a run of spaces after a number
# that opens its line ends a row's sequence number; a full-width space after a label (表2,
# 案例七) separates the label from its heading. Elsewhere such gaps are PDF artefacts.
_CELL_GAP = re.compile("\t")
_ROW_GAP = re.compile("[ \u3000]{2,}")
_LABEL_GAP = re.compile("\u3000")
_LABELS = frozenset("表图例件")


def _across_cells(fact: Fact, view: View, original: str) -> bool:
    """3<TAB>天津港片区, 表2<IDEOGRAPHIC SPACE>省级…: the number and the "unit" after it are not
    one quantity, although the flow view removed the gap between them."""
    start, end = view.span(fact.start, fact.end)
    if _CELL_GAP.search(original, start, end):
        return True
    before = original[start - 1 : start]
    if before in ("", "\n") and _ROW_GAP.search(original, start, end):
        return True
    return before in _LABELS and bool(_LABEL_GAP.search(original, start, end))


def _verb_across_cells(effect: Fact, view: View, original: str) -> bool:
    """压减比例 (a header) ⏎ 开办餐饮店⇥7个: a change verb and an amount in different table cells
    are no change; a before and an after value are (a row read as 20⇥5)."""
    if effect.fields.get("before") is not None:
        return False
    start, end = view.span(effect.start, effect.end)
    return "\t" in original[start:end]


def _annotate_context(
    quantities: list[Fact], zones: list[Fact], years: list[tuple[int, str]]
) -> None:
    """Best effort: the zone and year last named before each quantity (within 200 chars)."""
    zi = yi = 0
    zone = year = None
    zone_at = year_at = -10_000
    for q in quantities:
        while zi < len(zones) and zones[zi].start < q.start:
            zone, zone_at = zones[zi].fields["zone"], zones[zi].start
            zi += 1
        while yi < len(years) and years[yi][0] < q.start:
            year, year_at = years[yi][1][:4], years[yi][0]
            yi += 1
        q.fields["subject"] = zone if q.start - zone_at < 200 else None
        q.fields["year"] = int(year) if year and q.start - year_at < 200 else None


def _without_overlaps(first: list[Fact], second: list[Fact]) -> list[Fact]:
    """Keep all of `first` and those of `second` that overlap none of them."""
    taken = sorted((f.start, f.end) for f in first)
    starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))  # furthest end among the first k

    def overlaps(fact: Fact) -> bool:
        index = bisect_left(starts, fact.end) - 1  # spans starting before the fact ends
        return index >= 0 and reach[index] > fact.start

    return first + [f for f in second if not overlaps(f)]


def extract_text(
    text: str,
    gazetteer: Gazetteer | None = None,
    *,
    max_facts: int = MAX_FACTS,
    time_budget: float = TIME_BUDGET,
) -> list[Fact]:
    """Return the facts of a text; raise ExtractionLimit past either limit."""
    budget = Budget(time_budget)
    doc = normalize(text)
    budget.check()
    return extract_normalized(doc, gazetteer, max_facts=max_facts, budget=budget)


def extract_file(path: Path, gazetteer: Gazetteer | None = None) -> tuple[list[Fact], str]:
    """Read any supported file and return its facts and the encoding or format used."""
    document = read_document(path)
    return extract_text(document.text, gazetteer), document.encoding
