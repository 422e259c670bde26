"""Magnitudes with their units: amounts, counts, shares, growth rates, areas, durations."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from . import lexicon
from .facts import Fact
from .numbers import (
    ARABIC_NUMBER,
    CN_NUMBER,
    REDACTED,
    approximate_range,
    is_redacted,
    parse_number,
    tidy,
)
from .trie import trie_regex

UNITS = lexicon.units()
BASE_UNITS = list(UNITS)
UNIT = "(?:" + trie_regex(BASE_UNITS) + ")"
MAG = "(?:万亿|亿|万|千)"
NUMBER = rf"(?:{REDACTED}|{ARABIC_NUMBER}|{CN_NUMBER})"
# 人数, 件数, 总数 … before 十/百: a count noun, not "several" (人数百分比).
_COMPOUND_SHU = "人户件次项企家总基指参倍系函位分份票单台车船箱笔批类所指少多无"
# 约 of 节约, 签约, 预约 is no hedge: 节约40% is a saving of 40 %, not "about 40 %".
# 上千家, 上万人: "reaching a thousand" (not 线上 or 以上 before a round number).
PRE = (
    r"(?:超过|多达|将近|接近|大约|约为|高达|不足|不到|至少|不少于|不低于|最多|逾|近"
    r"|(?<![节制预签合违履])约|超|过(?=[亿万千])|(?<![线以之马晚早路向])上(?=[百千万亿])"
    # 好几百, 几十, 数百 (spoken and written "several"): the value is the magnitude itself.
    r"|好几(?=[十百千万])|(?<![\d一二两三四五六七八九十好])几(?=[十百千万])"
    rf"|(?<![{_COMPOUND_SHU}])数(?=[十百千万]))"
)
POST = r"(?:以上|左右|上下|余|多)"
SEP = r"(?:至|到|-|—|–|~|～)"
PATTERN = re.compile(
    rf"""
    (?=[超多将接大约高不至最逾近过上好几数\-−\d零〇一二两三四五六七八九十百千万亿*×xX])
    (?P<pre>{PRE})?
    (?P<neg>(?<![\dA-Za-z.%)）])[-−](?=\d))?
    (?P<num>{NUMBER})
    (?:(?P<unit1>{MAG}?{UNIT})(?={SEP}{NUMBER}(?P=unit1)))?
    (?:(?P<sep>{SEP})(?P<num2>{NUMBER}))?
    (?P<mid0>余|多|(?<=十)几|(?<=[十百千万])来|(?<=[百千万])(?<![一二两三四五六七八九十][百千万])把)?
    (?P<mag>{MAG})?
    (?P<mid>余|多)?
    (?P<base>{UNIT})?
    (?P<half>半)?
    (?P<post>{POST})?
    """,
    re.VERBOSE,
)
FRACTION = re.compile(
    rf"(?P<pre>{PRE})?(?:(?P<den>{CN_NUMBER}|\d+)分之(?P<num>{CN_NUMBER}|\d+(?:\.\d+)?)"
    rf"|(?<![\d/.])(?P<a>\d+)/(?P<b>\d+)(?![\d/]))(?P<post>{POST})?"
)
# Words in which a Chinese numeral is not a number, and prefixes that make a count vague.
NOT_AFTER = set("第统单唯之逐万数几每某周")  # for Chinese numerals; 提单3600余单 counts
# 分 is a score (86.49分), not 分之, 分局, 分公司, nor the minutes of a time of day (10时30分).
NOT_BEFORE = {
    "分": frozenset("局行公支店院会类别期批级区社所校厂队站部配享布解析散流拨担摊送段步项领"),
    "支": frozenset("持付撑出柱"),
}
_IDIOM = re.compile(trie_regex(list(lexicon.set_phrases())))
COUNT_UNITS = {unit for unit, kind in UNITS.items() if kind == "count" and len(unit) == 1}
# 一种模式, 两类业务, 一款产品: counting words of a set phrase, unless a verb reports the count.
SET_PHRASE_UNITS = frozenset("种类款样证")
_REPORTED = re.compile(
    r"(?:新增|增加|增至|增设|新设|减少|减至|减为|压减|精简|削减|合计|累计|共计|达到|涉及|覆盖|共|达)$"
)
# A Chinese numeral inside a short quoted phrase is a slogan (“一区四片”, “一日办结”);
# Arabic numbers in quotes (“22证合一”) still count, like 144小时过境免签.
_QUOTED_OPEN = re.compile(r"[“「\"][^“”「」\"，。；\n]{0,5}$")
_QUOTED_CLOSE = re.compile(r"^[^“”「」\"，。；\n]{0,5}[”」\"]")
_ORDINAL_LIST = re.compile(rf"第{CN_NUMBER}、$")  # 第五、六批: the 六 is an ordinal too
RANK_WORDS = ("排名", "位次", "名次", "位列", "排在", "排位")
INDICATORS = [
    "外贸进出口",
    "进出口总额",
    "进出口额",
    "进出口",
    "出口",
    "进口",
    "实际使用外资",
    "实际利用外资",
    "实际到位外资",
    "合同外资",
    "外商投资",
    "FDI",
    "新设企业",
    "新设立企业",
    "新注册企业",
    "新增企业",
    "市场主体",
    "外资企业",
    "外商投资企业",
    "注册资本",
    "税收",
    "营业收入",
    "地区生产总值",
    "GDP",
    "跨境人民币",
    "融资",
    "贷款",
    "面积",
    "制度创新成果",
    "改革试点经验",
    "试点任务",
    "通关时间",
    "审批时限",
    "办理时间",
    "成本",
]
_INDICATOR = re.compile(trie_regex(INDICATORS))
_CLAUSE = re.compile(r"[，。；！？\n,;]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A 一 that is a count, not a determiner: visits (跑一趟, 跑了一次) and the level a change
# verb reached (由四个环节合并为一个).
_COUNTED_ONE = re.compile(
    r"(?:跑了?|(?:减|降|缩|压缩|压减|精简|合并|整合|归并|简化|减少)(?:为|至|到|成)"
    # the present answering a past value: 现在就一个, 如今一个窗口, 改革后只需一份
    r"|(?:现在|如今|目前|改革后)(?:[^，。；！？\n]{0,4}?(?:就|只|仅)(?:要|需|需要|用|有|盖|交|跑)?)?)$"
)


_SPOKEN_DURATION = re.compile(
    r"(?:(?P<more>多|来)|(?P<half>半)|(?=星期|钟头))(?P<unit>月|小时|钟头|工作日|星期)"
)  # 三个多月, 两个半小时, 两三个星期
_SPOKEN_UNITS = {"月": "个月", "小时": "小时", "钟头": "小时", "工作日": "个工作日", "星期": "周"}


@dataclass(frozen=True)
class _Parts:
    """The groups of one PATTERN match, read once."""

    pre: str | None
    num: str
    num2: str | None
    approx: str | None
    unit: str
    start: int  # of the number
    end: int
    unit_end: int  # where the unit ends (before any hedge after it)


DETERMINER_UNITS = COUNT_UNITS | {"成", "省", "市", "方面", "部门"}


def _skip(text: str, p: _Parts) -> bool:
    num, pre, unit = p.num, p.pre, p.unit
    before = text[p.start - 1] if p.start else ""
    arabic = num[0].isdigit()
    base = unit.lstrip("万亿千") or unit
    if text[p.unit_end : p.unit_end + 1] in NOT_BEFORE.get(base, ()):
        return True
    if base == "分" and (not (arabic or is_redacted(num)) or before in "时点"):
        return True  # 十分 (very), 百分之, 10时30分
    if base == "分" and text[p.unit_end : p.unit_end + 1] == "之":
        following = text[p.unit_end + 1 : p.unit_end + 2]
        if following.isdigit() or following in "零〇一二两三四五六七八九十百千":
            return True  # 3分之1 is a fraction; 70至80分之间 is a score
    if before == "前" and unit in {"名", "位"}:
        return True  # 前八名: a rank
    if pre is None and before in NOT_AFTER and not arabic:
        return True
    if unit in {"日", "号"} and before == "月":
        return True  # the day of a date, also a masked one (＊＊月＊＊日)
    if is_redacted(num):
        return UNITS.get(unit) == "place"  # ＊＊市: a masked place name, not a count
    if arabic:
        return unit == "年" and len(num) == 4 and num.isdigit()  # a year, read as a date
    if before.isdigit():
        return True
    if num == "一" and before in "上下":
        return True  # 上一年, 下一年度: a period, not a duration
    if _ORDINAL_LIST.search(text, max(0, p.start - 8), p.start):
        return True
    if _QUOTED_OPEN.search(text, max(0, p.start - 6), p.start) and _QUOTED_CLOSE.match(
        text[p.unit_end : p.unit_end + 6]
    ):
        return True
    if any(
        m.start() < p.end and p.start < m.end()
        for m in _IDIOM.finditer(text, max(0, p.start - 6), p.end + 4)
    ):
        return True  # inside a set phrase (一窗通办 before 七个工作日 is no reason)
    if num == "一" and not pre and unit in DETERMINER_UNITS:
        # 一个/一项/一次性 as determiners, not counts; but 跑一趟 and 合并为一个 (ending the
        # clause, not 整合到一个平台) report a count
        counted = _COUNTED_ONE.search(text, max(0, p.start - 12), p.start)
        following = text[p.unit_end : p.unit_end + 1]
        visit_or_now = counted and counted.group()[0] in "跑现如目改"
        return not (counted and (visit_or_now or not _CJK.match(following)))
    if num in {"一", "两", "二"} and unit in SET_PHRASE_UNITS and not pre:
        return not _REPORTED.search(text, max(0, p.start - 4), p.start)
    if unit == "类" and "器械" in text[p.end : p.end + 4]:
        return True  # 三类医疗器械: a class, not a count
    if unit == "番" and num not in {"一", "两"}:
        return True
    return len(num) == 1 and num in "十百千万亿" and not pre and not p.approx


def _is_rank(text: str, match: re.Match[str], unit: str, clauses: Clauses) -> bool:
    if unit != "位":
        return False
    return text[match.start("num") - 1 : match.start("num")] == "第" or any(
        w in clauses.context(match.start()) for w in RANK_WORDS
    )


class Clauses:
    """Clause boundaries and indicator words of a text, found once, looked up by position."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [m.end() for m in _CLAUSE.finditer(text)]
        found = [(m.start(), m.end(), m.group()) for m in _INDICATOR.finditer(text)]
        self.indicator_ends = [end for _, end, _ in found]
        self.indicators = found

    def start_of(self, position: int) -> int:
        index = bisect_right(self.starts, position) - 1
        return self.starts[index] if index >= 0 else 0

    def indicator(self, position: int) -> str | None:
        """Return the last indicator word of the clause, before `position`."""
        index = bisect_right(self.indicator_ends, position) - 1
        if index < 0 or self.indicators[index][0] < self.start_of(position):
            return None
        return self.indicators[index][2]

    def context(self, position: int, width: int = 30) -> str:
        """The clause before `position`, at most `width` characters of it."""
        return self.text[max(self.start_of(position), position - width) : position]


def _overlaps(taken: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    index = bisect_right(starts, end - 1) - 1
    return index >= 0 and taken[index][1] > start


def _nothing() -> None:
    return None


def find_quantities(
    text: str, taken: list[tuple[int, int]], check: Callable[[], None] = _nothing
) -> list[Fact]:
    """Return quantity facts; spans overlapping `taken` (dates) are not quantities.

    Ranks (第4位, 排名43位) come back flagged `rank` so effects can use them; they are not
    reported as quantities. `check` is called now and then and may raise to stop the work.
    """
    clauses = Clauses(text)
    taken_starts = [a for a, _ in taken]
    facts = []
    for number, match in enumerate(PATTERN.finditer(text)):
        if number % 1024 == 0:
            check()
        pre, neg, num, num2, mid0, mag, mid, base, half, post = match.group(
            "pre", "neg", "num", "num2", "mid0", "mag", "mid", "base", "half", "post"
        )
        if not base and not mag:
            continue
        end = match.end()
        if not base and text[end : end + 1] in "个名位":
            continue
        unit = (mag or "") + (base or "")
        spoken = _SPOKEN_DURATION.match(text, match.end("base")) if base == "个" else None
        if spoken:  # 三个多月, 两个半小时, 一个半月
            unit, end = _SPOKEN_UNITS[spoken.group("unit")], spoken.end()
            post = spoken.group("more") or post  # 三个多月, 一个来月
            half = spoken.group("half")
            base = unit
        start = match.start("num")
        unit_end = match.end("base") if base else match.end("mag")
        if spoken:
            unit_end = end
        parts = _Parts(pre, num, num2, pre or mid0 or mid or post, unit, start, end, unit_end)
        rank = unit == "位" and _is_rank(text, match, unit, clauses)
        if not rank and (text[start - 1 : start] == "第" or _skip(text, parts)):
            continue
        if taken and _overlaps(taken, taken_starts, start, end):
            continue
        try:
            value = parse_number(num)
            if neg and value is not None:
                value = -value  # -4.2% in a table of growth rates
            value_max = parse_number(num2) if num2 else None
            rough = None if num[0].isdigit() else approximate_range(num)
            if rough and value_max is None:
                value_max = rough[1]
        except (ValueError, KeyError, TypeError):
            continue
        whole_half = half is not None and base in {"天", "年", "个月", "小时", "个工作日"}
        if whole_half and value is not None:
            value += 0.5
        if half is not None and not whole_half and not spoken:
            end = match.start("half")
        redacted = is_redacted(num) or bool(num2 and is_redacted(num2))
        facts.append(
            _fact(
                match.start(),
                end,
                value,
                value_max,
                unit,
                parts.approx,
                redacted,
                clauses.indicator(match.start()),
                num,
                rank,
            )
        )
    if "分之" in text or "/" in text:
        facts += _fractions(text, clauses, taken, taken_starts, facts)
    if "一半" in text or "半数" in text:
        facts += _halves(text, clauses, facts)
    if "半" in text:
        facts += _half_durations(text, clauses, facts)
    facts.sort(key=lambda f: f.start)
    return facts


def _fact(
    start: int,
    end: int,
    value: float | None,
    value_max: float | None,
    unit: str,
    approx: str | None,
    redacted: bool,
    indicator: str | None,
    num: str,
    rank: bool = False,
) -> Fact:
    fields = {
        "value": tidy(value),
        "value_max": tidy(value_max),
        "unit": unit,
        "approx": approx,
        "redacted": redacted,
        "indicator": indicator,
    }
    if rank:
        fields["rank"] = True
    confidence = 0.95 if num[:1].isdigit() or redacted else 0.85
    return Fact("quantity", start, end, confidence, fields)


_HALF = re.compile(rf"(?P<pre>{PRE})?(?:一半|半数)(?P<post>以上|左右)?")


def _halves(text: str, clauses: Clauses, found: list[Fact]) -> list[Fact]:
    """一半 as 50 %."""
    starts = sorted((f.start, f.end) for f in found)
    begins = [a for a, _ in starts]
    return [
        _fact(
            m.start(),
            m.end(),
            50,
            None,
            "%",
            m.group("pre") or m.group("post"),
            False,
            clauses.indicator(m.start()),
            "1",
        )
        for m in _HALF.finditer(text)
        if not _overlaps(starts, begins, m.start(), m.end())
    ]


# 半年以上, 近半个月: half of a duration. 上半年/下半年 are periods, 大半年 is vague.
_HALF_DURATION = re.compile(
    rf"(?P<pre>{PRE})?(?<![上下前后大多过一\d])半(?P<unit>个月|个小时|小时|年|天)(?P<post>以上|左右|多)?"
)


def _half_durations(text: str, clauses: Clauses, found: list[Fact]) -> list[Fact]:
    starts = sorted((f.start, f.end) for f in found)
    begins = [a for a, _ in starts]
    return [
        _fact(
            m.start(),
            m.end(),
            0.5,
            None,
            m.group("unit"),
            m.group("pre") or m.group("post"),
            False,
            clauses.indicator(m.start()),
            "1",
        )
        for m in _HALF_DURATION.finditer(text)
        if not _overlaps(starts, begins, m.start(), m.end())
    ]


def _fractions(
    text: str,
    clauses: Clauses,
    taken: list[tuple[int, int]],
    taken_starts: list[int],
    found: list[Fact],
) -> list[Fact]:
    """三分之一, 千分之四, 1/3 as percentages."""
    found_starts = sorted((f.start, f.end) for f in found)
    starts = [a for a, _ in found_starts]
    facts = []
    for match in FRACTION.finditer(text):
        if _overlaps(taken, taken_starts, match.start(), match.end()) or _overlaps(
            found_starts, starts, match.start(), match.end()
        ):
            continue
        try:
            if match.group("a"):
                numerator, denominator = float(match.group("a")), float(match.group("b"))
            else:
                numerator = parse_number(match.group("num")) or 0.0
                denominator = parse_number(match.group("den")) or 0.0
        except (ValueError, KeyError, TypeError):
            continue
        if not denominator or numerator > denominator:
            continue
        value = round(numerator / denominator * 100, 2)
        approx = match.group("pre") or match.group("post")
        facts.append(
            _fact(
                match.start(),
                match.end(),
                value,
                None,
                "%",
                approx,
                False,
                clauses.indicator(match.start()),
                "1",
            )
        )
    return facts
