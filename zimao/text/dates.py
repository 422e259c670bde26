"""Calendar dates and years: 2019年8月26日, 2019-08-26, 二〇一九年, 2013-2018年, 7月, ****年."""

import re
from bisect import bisect_right

from .facts import Fact

CN_YEAR = "〇零一二三四五六七八九"
_CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
_MONTH = r"1[0-2]|0?[1-9]"
_DAY = r"3[01]|[12]\d|0?[1-9]"
_CN_DAY = r"三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]"
PATTERN = re.compile(
    rf"""
    (?=[\d〇零一二三四五六七八九十*×xX])
    (?P<months>(?<!\d)(?P<my>(?:19|20)\d\d)年(?P<m1>{_MONTH})(?:-|—|–|~|至|到)(?P<m2>{_MONTH})月)
  | (?P<range>(?<!\d)(?P<y1>(?:19|20)\d\d)年?(?:-|—|–|~|至|到)(?P<y2>(?:19|20)\d\d)年)
  | (?P<iso>(?<![\d.])(?P<iy>(?:19|20)\d\d)[-./](?P<im>{_MONTH})[-./](?P<id>{_DAY})(?![\d.]))
  | (?P<full>(?<!\d)(?P<y>(?:19|20)\d\d)年(?:(?P<m>{_MONTH})月(?:(?P<d>{_DAY})日)?)?)
  | (?P<cn>(?P<cy>[{CN_YEAR}]{{4}})年(?:(?P<cm>{_CN_MONTH})月(?:(?P<cd>{_CN_DAY})日)?)?)
  | (?P<redacted>(?:\*{{2,4}}|×{{2,4}}|[xX]{{4}})年(?:(?:\d{{1,2}}|\*{{1,2}})月)?)
  | (?P<month>(?<![\d.*-])(?P<mm>{_MONTH})月(?:(?P<md>{_DAY})日)?)
    """,
    re.VERBOSE,
)
_PARAGRAPH_END = re.compile(r"\n")
_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _cn_small(text: str) -> int:
    """Return the value of a Chinese month or day numeral (一 … 三十一)."""
    if "十" not in text:
        return _CN_VALUE[text]
    tens, _, units = text.partition("十")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[units] if units else 0)


def _iso(year: int | str, month: int | str | None = None, day: int | str | None = None) -> str:
    parts = [f"{int(year):04d}"]
    if month:
        parts.append(f"{int(month):02d}")
        if day:
            parts.append(f"{int(day):02d}")
    return "-".join(parts)


def find_dates(text: str) -> list[Fact]:
    """Return date facts in `text`; a bare month takes the year last named in its paragraph."""
    facts: list[Fact] = []
    year: int | None = None
    ends = [m.start() for m in _PARAGRAPH_END.finditer(text)]
    sentence = 0
    for match in PATTERN.finditer(text):
        if bisect_right(ends, match.start()) != sentence:
            year, sentence = None, bisect_right(ends, match.start())
        groups = match.groupdict()
        if groups["months"]:
            y = groups["my"]
            facts.append(
                Fact(
                    "date",
                    match.start(),
                    match.start("m1") + len(groups["m1"]),
                    0.85,
                    {"date": _iso(y, groups["m1"])},
                )
            )
            facts.append(
                Fact("date", match.start("m2"), match.end(), 0.85, {"date": _iso(y, groups["m2"])})
            )
            year = int(y)
        elif groups["range"]:
            y1, y2 = groups["y1"], groups["y2"]
            facts.append(Fact("date", match.start("y1"), match.end("y1"), 0.9, {"date": y1}))
            facts.append(Fact("date", match.start("y2"), match.end(), 0.9, {"date": y2}))
            year = int(y2)
        elif groups["iso"]:
            value = _iso(groups["iy"], groups["im"], groups["id"])
            facts.append(Fact("date", match.start(), match.end(), 0.95, {"date": value}))
            year = int(groups["iy"])
        elif groups["full"]:
            value = _iso(groups["y"], groups["m"], groups["d"])
            facts.append(Fact("date", match.start(), match.end(), 0.95, {"date": value}))
            year = int(groups["y"])
        elif groups["cn"]:
            cy = int("".join(str(_CN_VALUE[c]) for c in groups["cy"]))
            month = _cn_small(groups["cm"]) if groups["cm"] else None
            day = _cn_small(groups["cd"]) if groups["cd"] else None
            facts.append(
                Fact("date", match.start(), match.end(), 0.9, {"date": _iso(cy, month, day)})
            )
            year = cy
        elif groups["redacted"]:
            facts.append(
                Fact("date", match.start(), match.end(), 0.85, {"date": None, "redacted": True})
            )
        elif groups["month"] and year is not None:
            value = _iso(year, groups["mm"], groups["md"])
            facts.append(Fact("date", match.start(), match.end(), 0.75, {"date": value}))
    for fact in facts:
        fact.fields.setdefault("redacted", False)
    return facts
