"""Stated changes caused by a measure: 从72小时压缩到37小时 · 审批时限压减88% · 缩短5个工作日."""

import re
from bisect import bisect_right

from .facts import Fact
from .numbers import tidy
from .trie import trie_regex

DECREASE = [
    "压缩",
    "压减",
    "缩短",
    "减少",
    "降低",
    "下降",
    "精简",
    "缩减",
    "削减",
    "减至",
    "降至",
    "跌至",
    "节约",
    "节省",
    "减轻",
    "免去",
    "减免",
    "提速",
    "回落",
    "下滑",
    "收窄",
]
INCREASE = [
    "增长",
    "提高",
    "提升",
    "增加",
    "扩大",
    "上升",
    "增至",
    "提至",
    "激增",
    "跃升",
    "升至",
    "扩容",
    "增收",
    "翻",
]
VERB = "(?:" + trie_regex(DECREASE + INCREASE) + ")"
SAVINGS = "(?:节约|节省|免去|减免|增收|降低|减少|缩短|压缩)"
ADVERB = r"(?:大幅|明显|显著|进一步|有效|分别|平均|最多|最高|整体|累计|共|均|再)*"
_CLAUSE = re.compile(r"[，。；！？\n,;：:]")
_SPEED = {"提速"}
TIME_MINUTES = {
    "秒": 1 / 60,
    "分钟": 1,
    "小时": 60,
    "个小时": 60,
    "天": 1440,
    "日": 1440,
    "周": 10080,
    "个月": 43200,
}


_DECREASING = frozenset(DECREASE)


def _direction(verb: str) -> str:
    return "decrease" if verb in _DECREASING else "increase"


def _pct(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    return {"%": value, "成": value * 10, "倍": value * 100}.get(unit)


def _measure(text: str, clause_starts: list[int], start: int) -> str:
    index = bisect_right(clause_starts, start) - 1
    clause_start = clause_starts[index] if index >= 0 else 0
    words = text[clause_start:start].strip()
    words = re.sub(r"^(?:使|将|把|让|其中|同时|并|且|从而|进而|实现|推动|助力)+", "", words)
    words = re.sub(r"(?:同比|年均|较上年|比上年|比去年同期|分别|平均)+$", "", words)
    return words[-16:]


def find_effects(text: str, quantities: list[Fact]) -> list[Fact]:
    """Return effect facts built around the quantities already found in `text`."""
    clause_starts = [m.end() for m in _CLAUSE.finditer(text)]
    facts: list[Fact] = []
    used: set[int] = set()
    for i, q in enumerate(quantities):
        if i in used:
            continue
        fact = (
            _from_to(text, quantities, i, used)
            or _share_of_before(text, q)
            or _doubling(text, q)
            or _delta(text, q)
            or _after_verb(text, q)
        )
        if fact is None:
            continue
        fact.fields["measure"] = _measure(text, clause_starts, fact.start)
        facts.append(fact)
        facts += _respectively(text, quantities, i, fact, used)
    return _merge(text, facts)


_FROM = re.compile(r"(?:从|由)(?:[^，。；！？\d]{0,8}?(?:(?:19|20)\d\d年)?)[^，。；！？\d]{0,8}$")
_LINK_BAD = re.compile(r"[，。；！？,;]")


def _convert(before: float | None, unit1: str, after: float | None, unit2: str) -> float | None:
    """Express `before` in the unit of `after` when both are durations (4小时 → 240分钟)."""
    if before is None or unit1 == unit2 or unit1 not in TIME_MINUTES or unit2 not in TIME_MINUTES:
        return before
    if unit2 == "周" and unit1 == "个月":
        return None
    return round(before * TIME_MINUTES[unit1] / TIME_MINUTES[unit2], 4)


def _from_to(text: str, quantities: list[Fact], i: int, used: set[int]) -> Fact | None:
    """从/由 Q1 … 到/至/为 Q2."""
    q1 = quantities[i]
    window = text[max(0, q1.start - 20) : q1.start]
    if "从" not in window and "由" not in window:
        return None
    head = _FROM.search(text, max(0, q1.start - 20), q1.start)
    if head is None or i + 1 >= len(quantities):
        return None
    q2 = quantities[i + 1]
    link = text[q1.end : q2.start]
    if len(link) > 20 or _LINK_BAD.search(link) or not re.search("到|至|为", link):
        return None
    if not (re.search(VERB, link) or re.fullmatch(rf"{ADVERB}(?:到|至|为)", link)):
        return None
    unit1, unit2 = q1.fields["unit"], q2.fields["unit"]
    before, after = q1.fields["value"], q2.fields["value"]
    unit = unit2 or unit1
    if unit1 == "个月" and unit2 == "周":  # months to weeks: compare in days
        before, after, unit = before * 30 if before else before, after * 7 if after else after, "天"
    else:
        before = _convert(before, unit1, after, unit2)
    rank = q1.fields.get("rank") or q2.fields.get("rank")
    change = None
    if before and after is not None and not rank:
        change = round((after - before) / before * 100, 2)
    verb = re.search(VERB, link)
    if verb:
        direction = _direction(verb.group())
    elif before is not None and after is not None:
        direction = "decrease" if after < before else "increase"
    else:
        direction = None
    used.add(i + 1)
    fields = {
        "before": tidy(before),
        "after": tidy(after),
        "unit": unit,
        "change_pct": change,
        "direction": direction,
    }
    return Fact("effect", head.start(), q2.end, 0.9, fields)


_DELTA = re.compile(
    rf"(?:较(?:(?:19|20)\d\d年|上年|去年|同期|以前|原来)*{ADVERB})?(?P<verb>{VERB})(?:了)?{ADVERB}"
    rf"(?P<to>到|至|为)?(?:约|近|超过|逾)?$"
)
# A delta phrase must end just before its quantity with one of these characters.
_DELTA_TAIL = frozenset(
    "".join(v[-1] for v in DECREASE + INCREASE) + "到至为约近过逾达了幅显著步效别均体计共再高多"
)
_SAVING = re.compile(SAVINGS)
_GAP = re.compile(rf"(?P<verb>{SAVINGS})[^，。；！？\d]{{1,6}}?(?:达|约|近|超过|逾|了)?$")


_DOUBLE = re.compile(r"(?:(?:较|比)(?:(?:19|20)\d\d年)?(?:同期|上年|去年)?)?翻$")


def _doubling(text: str, q: Fact) -> Fact | None:
    """翻一番 / 翻两番: +100 % / +300 %."""
    if q.fields["unit"] != "番" or q.fields["value"] not in (1, 2):
        return None
    head = _DOUBLE.search(text, max(0, q.start - 12), q.start)
    if head is None:
        return None
    change = 100 if q.fields["value"] == 1 else 300
    fields = {
        "before": None,
        "after": None,
        "unit": None,
        "change_pct": change,
        "direction": "increase",
    }
    return Fact("effect", head.start(), q.end, 0.8, fields)


def _delta(text: str, q: Fact) -> Fact | None:
    """VERB + Q: 压减88%, 缩短5个工作日, 压缩至3-4分钟, 较2017年压缩93.54%, 节约成本约5000万元."""
    head = None
    if q.start and text[q.start - 1] in _DELTA_TAIL:
        head = _DELTA.search(text, max(0, q.start - 16), q.start)
    if head is None and _SAVING.search(text, max(0, q.start - 12), q.start):
        head = _GAP.search(text, max(0, q.start - 12), q.start)
    if head is None:
        return None
    verb, unit = head.group("verb"), q.fields["unit"]
    direction = _direction(verb)
    value = q.fields["value"]
    fields: dict[str, object] = {"before": None, "after": None, "unit": unit, "change_pct": None}
    to = head.groupdict().get("to")
    if to or verb.endswith("至"):
        fields["after"] = value
    else:
        pct = _pct(value, unit)
        if pct is not None:
            sign = -1 if direction == "decrease" and verb not in _SPEED else 1
            fields["change_pct"] = tidy(sign * pct)
        else:
            fields["change_abs"] = value
    fields["direction"] = direction
    start = head.start() if head.group().startswith("较") else head.start("verb")
    return Fact("effect", start, q.end, 0.8, fields)


_OF_BEFORE = re.compile(rf"(?P<verb>{VERB})(?:至|到|为)(?:原来|以前|改革前|过去)的$")


def _share_of_before(text: str, q: Fact) -> Fact | None:
    """缩短至原来的三分之一: the new level as a share of the old one."""
    head = _OF_BEFORE.search(text, max(0, q.start - 12), q.start)
    if head is None or q.fields["unit"] != "%" or q.fields["value"] is None:
        return None
    change = tidy(round(q.fields["value"] - 100, 2))
    fields = {
        "before": None,
        "after": None,
        "unit": "%",
        "change_pct": change,
        "direction": "decrease" if q.fields["value"] < 100 else "increase",
    }
    return Fact("effect", head.start(), q.end, 0.75, fields)


_AFTER = re.compile(r"(?:的)?(?P<verb>增长|增幅|下降|降幅)")


def _after_verb(text: str, q: Fact) -> Fact | None:
    """Q + 增长: 50%以上增长."""
    if q.fields["unit"] != "%":
        return None
    tail = _AFTER.match(text, q.end)
    if tail is None:
        return None
    decrease = tail.group("verb") in {"下降", "降幅"}
    value = q.fields["value"]
    fields = {
        "before": None,
        "after": None,
        "unit": "%",
        "change_pct": tidy(-value if decrease and value is not None else value),
        "direction": "decrease" if decrease else "increase",
    }
    return Fact("effect", q.start, tail.end(), 0.7, fields)


def _respectively(
    text: str, quantities: list[Fact], i: int, first: Fact, used: set[int]
) -> list[Fact]:
    """分别压缩65.2%和97.1%: the second quantity gets its own effect from the same start."""
    if "分别" not in text[first.start : quantities[i].start] or i + 1 >= len(quantities):
        return []
    q2 = quantities[i + 1]
    if not re.fullmatch(r"[和、及与]", text[quantities[i].end : q2.start]):
        return []
    used.add(i + 1)
    fields = dict(first.fields)
    pct = _pct(q2.fields["value"], q2.fields["unit"])
    if fields.get("change_pct") is not None and pct is not None:
        fields["change_pct"] = tidy(-pct if fields["direction"] == "decrease" else pct)
    elif fields.get("after") is not None:
        fields["after"] = q2.fields["value"]
    return [Fact("effect", first.start, q2.end, 0.75, fields)]


def _merge(text: str, facts: list[Fact]) -> list[Fact]:
    """下降1%，跌至1.39万亿美元: a relative change and the level it reached are one effect."""
    merged: list[Fact] = []
    for fact in facts:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.fields.get("change_pct") is not None
            and previous.fields.get("after") is None
            and fact.fields.get("after") is not None
            and fact.fields.get("before") is None
            and text[previous.end : fact.start] in {"，", ","}
        ):
            previous.end = fact.end
            previous.fields["after"] = fact.fields["after"]
            previous.fields["unit"] = fact.fields["unit"]
            continue
        merged.append(fact)
    return merged
