"""Run every extractor over a document and return facts with spans in the original text."""

import re
from pathlib import Path

from .dates import find_dates
from .effects import find_effects
from .facts import Fact
from .gazetteer import Gazetteer, load_gazetteer
from .normalize import Normalized, View, normalize
from .quantities import find_quantities
from .structure import (
    cases_from_rows,
    find_aligned_rows,
    find_case_captions,
    find_case_headings,
    find_case_titles,
    find_table_rows,
)

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


def extract_normalized(doc: Normalized, gazetteer: Gazetteer | None = None) -> list[Fact]:
    """Run every extractor on the view it needs and map all spans to the original text."""
    gazetteer = gazetteer or load_gazetteer()
    flow = doc.flow.text
    places = _zone_matches(flow, gazetteer)
    zones = find_zones(places, gazetteer)
    dates = find_dates(flow)
    quantities = find_quantities(flow, sorted((d.start, d.end) for d in dates))
    effects = find_effects(flow, quantities)
    years = sorted((d.start, d.fields["date"]) for d in dates if d.fields["date"])
    _annotate_context(quantities, zones, years)
    reported = [q for q in quantities if not q.fields.pop("rank", False)]
    facts = _to_original(zones + dates + reported + effects, doc.flow, doc.original)
    rows = _without_overlaps(find_aligned_rows(doc.raw.text), find_table_rows(doc.raw.text))
    facts += _to_original(rows, doc.raw, doc.original)
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
    facts += cases
    facts.sort(key=lambda f: (f.start, f.end, f.type))
    return facts


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
    taken = [(f.start, f.end) for f in first]
    return first + [f for f in second if not any(a < f.end and f.start < b for a, b in taken)]


def extract_text(text: str, gazetteer: Gazetteer | None = None) -> list[Fact]:
    return extract_normalized(normalize(text), gazetteer)


def extract_file(path: Path, gazetteer: Gazetteer | None = None) -> tuple[list[Fact], str]:
    """Read any supported file and return its facts and the encoding or format used."""
    from .read import read_document

    document = read_document(path)
    return extract_text(document.text, gazetteer), document.encoding
