"""Magnitudes with their units: amounts, counts, shares, growth rates, areas, durations."""

import re
from bisect import bisect_right

from .facts import Fact
from .numbers import ARABIC_NUMBER, CN_NUMBER, REDACTED, is_redacted, parse_number, tidy

BASE_UNITS = [
    "美元",
    "欧元",
    "港元",
    "元",
    "人民币",
    "家次",
    "家",
    "户",
    "个百分点",
    "个工作日",
    "工作日",
    "个月",
    "个",
    "项",
    "件",
    "条",
    "批",
    "次",
    "种",
    "类",
    "所",
    "座",
    "位",
    "名",
    "份",
    "台",
    "辆",
    "套",
    "人次",
    "人",
    "平方公里",
    "平方千米",
    "平方米",
    "公顷",
    "亩",
    "公里",
    "千米",
    "米",
    "吨",
    "标箱",
    "TEU",
    "艘",
    "架次",
    "架",
    "列",
    "班",
    "小时",
    "分钟",
    "秒",
    "天",
    "日",
    "周",
    "年",
    "倍",
    "成",
    "%",
    "‰",
    "单",
    "票",
    "笔",
    "张",
    "本",
    "例",
    "宗",
    "块",
    "栋",
    "层",
]
MAGNITUDES = ["万亿", "亿", "万", "千"]
UNIT = "(?:" + "|".join(re.escape(u) for u in sorted(BASE_UNITS, key=len, reverse=True)) + ")"
MAG = "(?:万亿|亿|万|千)"
NUMBER = rf"(?:{ARABIC_NUMBER}|{CN_NUMBER}|{REDACTED})"
PRE = r"(?:超过|多达|将近|接近|大约|约为|高达|不足|不到|至少|最多|逾|近|约|超)"
POST = r"(?:以上|左右|上下|余|多)"
SEP = r"(?:至|到|-|—|–|~|～)"
PATTERN = re.compile(
    rf"""
    (?P<pre>{PRE})?
    (?P<num>{NUMBER})
    (?:(?P<unit1>{MAG}?{UNIT})(?={SEP}{NUMBER}(?P=unit1)))?
    (?:(?P<sep>{SEP})(?P<num2>{NUMBER}))?
    (?P<mid>余|多)?
    (?P<unit>{MAG}?{UNIT}|{MAG}(?![\u4e00-\u9fff]*{UNIT}))
    (?P<post>{POST})?
    """,
    re.VERBOSE,
)
# Words in which a Chinese numeral is not a number, and prefixes that make a count vague.
NOT_AFTER = set("第统单唯之逐万数几每某周")
IDIOMS = ("千家万户", "千方百计", "万无一失", "一成不变", "三番五次", "百分百", "十全十美")
COUNT_UNITS = set("个项件条批次种类所座位名份台辆套家户单票笔张本例宗块栋层")
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
_INDICATOR = re.compile("|".join(re.escape(w) for w in sorted(INDICATORS, key=len, reverse=True)))
_CLAUSE = re.compile(r"[，。；！？\n,;]")


def _skip(text: str, match: re.Match[str]) -> bool:
    num = match.group("num")
    start = match.start("num")
    before = text[start - 1] if start else ""
    if match.group("pre") is None and before in NOT_AFTER:
        return True
    if before == "第" or (before.isdigit() and not num[0].isdigit()):
        return True
    window = text[max(0, match.start() - 3) : match.end() + 3]
    if any(idiom in window for idiom in IDIOMS):
        return True
    unit = match.group("unit")
    if unit == "年" and num.isdigit() and len(num) == 4:
        return True  # a year, read as a date
    if num == "一" and not match.group("pre") and unit in COUNT_UNITS | {"成"}:
        return True  # 一个/一项/一次性 as determiners, not counts
    return len(num) == 1 and num in "十百千万亿" and not match.group("pre")


def _context(text: str, clause_starts: list[int], position: int) -> str:
    index = bisect_right(clause_starts, position) - 1
    start = clause_starts[index] if index >= 0 else 0
    return text[start:position]


def find_quantities(text: str, taken: list[tuple[int, int]]) -> list[Fact]:
    """Return quantity facts; spans overlapping `taken` (dates) are not quantities."""
    clause_starts = [m.end() for m in _CLAUSE.finditer(text)]
    taken_starts = [a for a, _ in taken]
    facts = []
    for match in PATTERN.finditer(text):
        if _skip(text, match):
            continue
        index = bisect_right(taken_starts, match.end() - 1) - 1
        if index >= 0 and taken[index][1] > match.start("num"):
            continue
        num, num2 = match.group("num"), match.group("num2")
        try:
            value, value_max = parse_number(num), parse_number(num2) if num2 else None
        except (ValueError, KeyError, TypeError):
            continue
        redacted = is_redacted(num) or bool(num2 and is_redacted(num2))
        approx = match.group("pre") or match.group("mid") or match.group("post")
        context = _context(text, clause_starts, match.start())
        indicators = _INDICATOR.findall(context)
        fields = {
            "value": tidy(value),
            "value_max": tidy(value_max),
            "unit": match.group("unit"),
            "approx": approx,
            "redacted": redacted,
            "indicator": indicators[-1] if indicators else None,
        }
        confidence = 0.95 if num[0].isdigit() or redacted else 0.85
        facts.append(Fact("quantity", match.start(), match.end(), confidence, fields))
    return facts
