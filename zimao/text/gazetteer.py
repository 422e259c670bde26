"""Zone and area names, generated from the reference dataset, compiled into one matcher."""

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .trie import trie_regex

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ZONE_SUFFIX = r"(?:自由贸易试验区|自贸试验区|自贸区)"
ADMIN = r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)?"
# Prefixes that texts usually drop from official area names (滨海新区中心商务片区 → 中心商务片区).
DROPPABLE_PREFIXES = ("滨海新区", "成都", "广州", "深圳", "珠海")
# Shorter stems that texts use for areas whose official name carries a descriptor.
STEM_ALIASES = {
    "陆家嘴金融": ["陆家嘴"],
    "金桥开发": ["金桥"],
    "张江高科技": ["张江"],
    "成都天府新区": ["天府新区", "天府"],
    "成都青白江铁路港": ["青白江铁路港", "青白江"],
    "滨海新区中心商务": ["中心商务", "滨海中心商务"],
    "前海蛇口": ["前海"],
}
# Parts of areas that texts name as if they were areas; they resolve to the zone only.
SUB_AREAS = {"东疆": "tianjin", "舟山": "zhejiang", "洋山": "shanghai", "外高桥": "shanghai"}


@dataclass(frozen=True)
class Place:
    zone: str
    area: str | None


@dataclass(frozen=True)
class Gazetteer:
    pattern: re.Pattern[str]
    zones_by_stem: dict[str, str]
    areas_by_alias: dict[str, Place]
    terms: tuple[str, ...]  # words for the segmenter's user dictionary

    def resolve(self, zone_stem: str | None, area_alias: str | None) -> Place:
        area = self.areas_by_alias.get(area_alias) if area_alias else None
        if zone_stem:
            zone = self.zones_by_stem[zone_stem]
            if area and area.zone != zone:
                area = None
            return Place(zone, area.area if area else None)
        if area is None:
            raise ValueError("a place needs a zone or an area")
        return area


def _read(name: str, directory: Path) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _area_aliases(name: str, city: str = "") -> list[str]:
    """The forms texts use for an area: with or without its city, and with the city after the
    rest of the name (成都天府新区片区 / 天府新区片区 / 天府新区成都片区)."""
    stem = name.removesuffix("片区")
    stems = {stem, *STEM_ALIASES.get(stem, [])}
    for prefix in {*DROPPABLE_PREFIXES, city} - {""}:
        # A city-derived short form must stay specific (天津机场 does not give 机场片区).
        shortest = 2 if prefix in DROPPABLE_PREFIXES else 3
        if stem.startswith(prefix) and len(stem) >= len(prefix) + shortest:
            rest = stem.removeprefix(prefix)
            stems.update({rest, rest + prefix})
    aliases = set()
    for s in stems:
        aliases.update({f"{s}片区", f"{s}自贸片区", f"{s}新区片区"})
    if name.endswith("新片区"):
        aliases.add(name)
    return sorted(aliases)


def _alternation(words: list[str]) -> str:
    return trie_regex(words)


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path = DATA_DIR) -> Gazetteer:
    zones_by_stem: dict[str, str] = {}
    for row in _read("zones.csv", directory):
        zones_by_stem[row["short_name_zh"].removesuffix("自贸试验区")] = row["code"]
    areas_by_alias: dict[str, Place] = {}
    for row in _read("areas.csv", directory):
        for alias in _area_aliases(row["name_zh"], row.get("city") or ""):
            areas_by_alias.setdefault(alias, Place(row["zone"], row["name_zh"]))
    for stem, zone in SUB_AREAS.items():
        for alias in (f"{stem}片区", f"{stem}自贸片区"):
            areas_by_alias.setdefault(alias, Place(zone, None))
    stems = _alternation(list(zones_by_stem))
    zone = rf"(?:中国[（(](?P<z1>{stems})[）)]|(?P<z2>{stems}){ADMIN}){ZONE_SUFFIX}"
    area = rf"(?P<area>{_alternation(list(areas_by_alias))})"
    pattern = re.compile(rf"{zone}(?:{area})?|{area.replace('?P<area>', '?P<area_only>')}")
    terms = tuple(
        sorted(
            {f"{s}自贸试验区" for s in zones_by_stem}
            | {f"{s}自由贸易试验区" for s in zones_by_stem}
            | set(areas_by_alias)
        )
    )
    return Gazetteer(pattern, zones_by_stem, areas_by_alias, terms)
