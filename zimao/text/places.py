"""Where a text names a zone without its FTZ name: the province (四川, 四川省), a pilot area
(宜宾协同改革先行区) or a city of its areas and pilot areas (宜宾, 泸州).

The gazetteer finds the FTZ names themselves (四川自贸试验区, 天府新区成都片区); these bare names
are weaker evidence (a Sichuan report may name 海南 in passing), so each mention says which kind
it is and the caller weighs it.
"""

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .gazetteer import DATA_DIR, Gazetteer, load_gazetteer
from .trie import trie_regex

# How much one mention of each kind says about what a text is about.
KIND_WEIGHTS = {"zone": 2.0, "pilot_area": 2.0, "province": 1.0, "city": 1.0}
_ADMIN = ("省", "市", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    zone: str
    kind: str  # zone (an FTZ or area name) | pilot_area | province | city

    @property
    def weight(self) -> float:
        return KIND_WEIGHTS[self.kind]


@dataclass(frozen=True)
class BareNames:
    pattern: re.Pattern[str]
    names: dict[str, tuple[str, str]]  # name → (zone, kind)


def _rows(name: str, directory: Path) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=4)
def load_bare_names(directory: Path = DATA_DIR) -> BareNames:
    names: dict[str, tuple[str, str]] = {}
    for row in _rows("zones.csv", directory):
        stem = row["short_name_zh"].removesuffix("自贸试验区")
        names[stem] = (row["code"], "province")
        names[row["province"]] = (row["code"], "province")
        for suffix in _ADMIN:
            if row["province"].endswith(suffix):
                names.setdefault(stem + suffix, (row["code"], "province"))
    for row in _rows("pilot_areas.csv", directory):
        names.setdefault(row["name_zh"], (row["zone"], "pilot_area"))
        names.setdefault(row["city"], (row["zone"], "city"))
    for row in _rows("areas.csv", directory):
        if len(row["city"]) >= 2:
            names.setdefault(row["city"], (row["zone"], "city"))
    return BareNames(re.compile(trie_regex(sorted(names))), names)


def _gazetteer_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    found = []
    for match in gazetteer.pattern.finditer(text):
        stem = match.group("z1") or match.group("z2")
        area = match.group("area") or match.group("area_only")
        found.append(
            Mention(match.start(), match.end(), gazetteer.resolve(stem, area).zone, "zone")
        )
    return found


def place_mentions(
    text: str, zone_spans: list[tuple[int, int, str]] | None = None
) -> list[Mention]:
    """Every place the text names, in order. `zone_spans` are FTZ names already found (the
    document's zone facts: start, end, zone); without them the gazetteer is run here."""
    if zone_spans is None:
        named = _gazetteer_mentions(text, load_gazetteer())
    else:
        named = [Mention(start, end, zone, "zone") for start, end, zone in zone_spans]
    covered = sorted((m.start, m.end) for m in named)
    bare = load_bare_names()
    mentions = list(named)
    index = 0
    for match in bare.pattern.finditer(text):
        while index < len(covered) and covered[index][1] <= match.start():
            index += 1
        if index < len(covered) and covered[index][0] < match.end():
            continue  # inside an FTZ name already counted
        zone, kind = bare.names[match.group(0)]
        mentions.append(Mention(match.start(), match.end(), zone, kind))
    return sorted(mentions, key=lambda m: (m.start, m.end))
