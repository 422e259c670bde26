"""Turn what a user types into search terms and filters.

Full-width input is folded, traditional characters become simplified (OpenCC), zone names and
their one-character abbreviations (沪, 粤, 津 …) become a zone filter, and the rest is cut with
the same segmenter and dictionary that built the index.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zimao.text.gazetteer import load_gazetteer
from zimao.text.normalize import FOLD
from zimao.text.segment import cut

ABBREVIATIONS = {
    "沪": "shanghai",
    "粤": "guangdong",
    "津": "tianjin",
    "闽": "fujian",
    "辽": "liaoning",
    "浙": "zhejiang",
    "豫": "henan",
    "鄂": "hubei",
    "渝": "chongqing",
    "川": "sichuan",
    "蜀": "sichuan",
    "陕": "shaanxi",
    "秦": "shaanxi",
    "琼": "hainan",
    "鲁": "shandong",
    "苏": "jiangsu",
    "桂": "guangxi",
    "冀": "hebei",
    "滇": "yunnan",
    "云": "yunnan",
    "黑": "heilongjiang",
    "京": "beijing",
    "湘": "hunan",
    "皖": "anhui",
    "新": "xinjiang",
}
_ABBREVIATION = re.compile(
    rf"(?:^|(?<=\s))(?P<abbr>[{''.join(ABBREVIATIONS)}])(?:自贸区|自贸试验区|自由贸易试验区)?(?=\s|$)"
    rf"|(?P<abbr2>[{''.join(ABBREVIATIONS)}])(?:自贸区|自贸试验区)"
)
STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "对",
        "为",
        "等",
        "中",
        "之",
        "其",
        "有",
        "把",
        "被",
        "将",
        "以",
        "于",
        "并",
        "而",
    ]
)


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@dataclass
class ParsedQuery:
    raw: str
    text: str
    tokens: list[str] = field(default_factory=list)
    zone: str | None = None
    area: str | None = None
    converted: bool = False


def parse_query(raw: str) -> ParsedQuery:
    folded = raw.translate(FOLD).strip()
    simplified = _converter().convert(folded)
    parsed = ParsedQuery(raw, simplified, converted=simplified != folded)
    text = simplified
    gazetteer = load_gazetteer()
    place = gazetteer.pattern.search(text)
    if place:
        zone = place.group("z1") or place.group("z2")
        found = gazetteer.resolve(zone, place.group("area") or place.group("area_only"))
        parsed.zone, parsed.area = found.zone, found.area
        text = text[: place.start()] + " " + text[place.end() :]
    else:
        abbreviation = _ABBREVIATION.search(text)
        if abbreviation:
            parsed.zone = ABBREVIATIONS[abbreviation.group("abbr") or abbreviation.group("abbr2")]
            text = text[: abbreviation.start()] + " " + text[abbreviation.end() :]
    if parsed.zone is None:
        text = _bare_zone_name(parsed, text)
    parsed.tokens = terms(text)
    return parsed


_ADMIN_SUFFIXES = ("省", "市", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区")


def _bare_zone_name(parsed: ParsedQuery, text: str) -> str:
    """A word that is only a zone's place name (四川, 上海市) names the zone: it becomes the
    zone filter and leaves the words. Returns the text without it."""
    stems = load_gazetteer().zones_by_stem
    words = text.split()
    for index, word in enumerate(words):
        stem = word
        for suffix in _ADMIN_SUFFIXES:
            if stem.endswith(suffix) and stem.removesuffix(suffix) in stems:
                stem = stem.removesuffix(suffix)
                break
        if stem in stems:
            parsed.zone = stems[stem]
            return " ".join(words[:index] + words[index + 1 :])
    return text


def terms(text: str) -> list[str]:
    """The distinct search words of a text, in order."""
    seen: dict[str, None] = {}
    for word in cut(text):
        word = word.strip().lower()
        if word and word not in STOP_WORDS and any(c.isalnum() for c in word):
            seen.setdefault(word, None)
    return list(seen)
