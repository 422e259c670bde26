"""Turn what a user types into search terms and filters.

Full-width input is folded, traditional characters become simplified (OpenCC), zone names and
their one-character abbreviations (沪, 粤, 津 …) become a zone filter, and the rest is cut with
the same segmenter and dictionary that built the index. Words of the domain synonym table
(zimao/data/synonyms.csv) accept their other forms: 外资 also matches 外商投资.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from zimao.text.gazetteer import load_gazetteer
from zimao.text.normalize import FOLD
from zimao.text.segment import cut, cut_for_search

from .backends import Alternative, Match
from .synonyms import load_synonyms

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


# Question words, pronouns and fillers of a query typed as a spoken question (老外想在咱们这儿
# 长期定居要什么条件): they say nothing about the subject, and an item's plain-language
# description may contain them, so they would rank by chance.
_FILLERS = (
    "怎么 怎样 怎么样 怎么办 如何 什么 啥 哪些 哪个 哪里 哪儿 多久 多少 为什么 能不能 可不可以 "
    "是不是 有没有 要不要 会不会 行不行 能否 是否 可否 吗 呢 吧 啊 呀 么 嘛 咱们 咱 我们 你们 "
    "他们 我 你 他 她 这儿 这里 这边 那里 那边 那儿 这个 那个 这些 那些 一下 一点 一些 有点 "
    "可以 能够 需要 想 要 得 让 就 都 也 还 又 很 太 现在 已经 请问 谁 谁来 "
    "一样 这样 那样 时候 之后 以后"
)
FILLER_WORDS = frozenset(_FILLERS.split())


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


Unit = tuple[Alternative, ...]  # one word or phrase of the query: its own words, then synonyms
LONGEST_PHRASE = 4  # query words joined to look a phrase up in the synonym table


@dataclass
class ParsedQuery:
    raw: str
    text: str
    tokens: list[str] = field(default_factory=list)
    zone: str | None = None
    area: str | None = None
    converted: bool = False
    units: list[Unit] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)  # sub-words of the tokens (负面清单: 清单)

    def strict(self) -> Match:
        """Every word or phrase of the query, each in any of its forms."""
        return Match(tuple(self.units))

    def relaxed(self, unknown: tuple[str, ...] = ()) -> Match:
        """Any word of the query, any synonym or any sub-word, minus the strict matches. For
        `unknown` words (in no entry: 洋车), their characters stand in (车)."""
        alternatives: list[Alternative] = [(t,) for t in self.tokens]
        alternatives += [alt for unit in self.units for alt in unit[1:]]
        alternatives += [(p,) for p in self.pieces]
        # A lone character (后, 华 in 毕业后在华创业) matches too much when it is enough.
        longer = [a for a in alternatives if len(a) > 1 or not _is_char(a[0])]
        chars = [(c,) for word in unknown for c in word if _is_char(c) and c not in STOP_WORDS]
        chosen = (longer or alternatives) + chars
        return Match((tuple(dict.fromkeys(chosen)),), exclude=self.strict())

    def unknown_candidates(self) -> list[str]:
        """Words that may be in no entry: Chinese words of two or three characters with no
        synonym and no sub-word (longer ones have their sub-words already)."""
        plain = {u[0][0] for u in self.units if len(u) == 1 and len(u[0]) == 1}
        cut_up = {t for t in self.tokens if any(p in t for p in self.pieces)}
        return [
            t
            for t in self.tokens
            if t in plain and t not in cut_up and 2 <= len(t) <= 3 and _is_cjk(t)
        ]

    @property
    def relaxable(self) -> bool:
        """Whether the relaxed match can find anything the strict one does not."""
        return len(self.tokens) > 1 or bool(self.pieces)

    @property
    def synonyms(self) -> dict[str, list[str]]:
        """Each expanded word or phrase of the query and its other accepted forms."""
        return {"".join(u[0]): ["".join(a) for a in u[1:]] for u in self.units if len(u) > 1}


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
    parsed.units = expand(parsed.tokens)
    parsed.pieces = sub_words(parsed.tokens)
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
        if (
            word
            and word not in STOP_WORDS
            and word not in FILLER_WORDS
            and any(c.isalnum() for c in word)
        ):
            seen.setdefault(word, None)
    return list(seen)


def _forms(phrase: str, own: Alternative) -> Unit:
    """A phrase's own words, then each synonym cut the way the query is (a synonym of several
    words needs all of them)."""
    synonyms = load_synonyms()
    alternatives = [own]
    if phrase in synonyms:
        alternatives += [tuple(terms(s)) for s in synonyms[phrase]]
    else:  # a table word inside a longer word: 外资企业 also as 外商投资企业
        inside = [k for k in synonyms if len(k) < len(phrase) and k in phrase and _is_cjk(k)]
        if inside:
            key = max(inside, key=len)
            alternatives += [tuple(terms(phrase.replace(key, s, 1))) for s in synonyms[key]]
    return tuple(dict.fromkeys(a for a in alternatives if a))


def _is_cjk(word: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in word)


def _is_char(word: str) -> bool:
    return len(word) == 1 and _is_cjk(word)


def expand(tokens: list[str]) -> list[Unit]:
    """The query's words as units of alternatives; consecutive words that together are a word
    of the synonym table (不动产 登记) form one unit."""
    synonyms = load_synonyms()
    units: list[Unit] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + LONGEST_PHRASE), i, -1):
            phrase = "".join(tokens[i:j])
            if j == i + 1 or phrase in synonyms:
                units.append(_forms(phrase, tuple(tokens[i:j])))
                i = j
                break
    return units


def sub_words(tokens: list[str]) -> list[str]:
    """The dictionary words inside each token (search-mode segmentation), for relaxed matching."""
    pieces: dict[str, None] = {}
    for token in tokens:
        for piece in cut_for_search(token):
            piece = piece.strip().lower()
            if (
                piece != token
                and len(piece) > 1
                and piece not in STOP_WORDS
                and piece not in FILLER_WORDS
                and piece not in tokens
            ):
                pieces.setdefault(piece, None)
    return list(pieces)
