"""Stated changes caused by a measure: 从72小时压缩到37小时 · 审批时限压减88% · 缩短5个工作日."""

import re
from bisect import bisect_right

from .facts import Fact
from .numbers import tidy

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
    "节约",
    "节省",
    "减轻",
    "提速",
]
INCREASE = ["增长", "提高", "提升", "增加", "扩大", "上升", "增至", "提至", "翻"]
_VERBS = sorted(DECREASE + INCREASE, key=len, reverse=True)
VERB = "(?:" + "|".join(_VERBS) + ")"
_CLAUSE = re.compile(r"[，。；！？\n,;：:]")
# Verbs whose object is a speed: 提速 70% is a decrease of the time taken.
_SPEED = {"提速"}


def _direction(verb: str) -> str:
    return "decrease" if any(verb.startswith(v) for v in DECREASE) else "increase"


def _pct(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    if unit == "%":
        return value
    if unit == "成":
        return value * 10
    if unit == "倍":
        return value * 100
    return None


def _measure(text: str, clause_starts: list[int], start: int) -> str:
    index = bisect_right(clause_starts, start) - 1
    clause_start = clause_starts[index] if index >= 0 else 0
    words = text[clause_start:start].strip()
    words = re.sub(r"^(?:使|将|把|让|其中|同时|并|且|从而|进而|实现|推动|助力)+", "", words)
    return words[-16:]


def find_effects(text: str, quantities: list[Fact]) -> list[Fact]:
    """Return effect facts built around the quantities already found in `text`."""
    clause_starts = [m.end() for m in _CLAUSE.finditer(text)]
    facts: list[Fact] = []
    used: set[int] = set()
    for i, q in enumerate(quantities):
        if i in used:
            continue
        fact = _from_to(text, quantities, i, used) or _delta(text, q)
        if fact is None:
            continue
        fact.fields["measure"] = _measure(text, clause_starts, fact.start)
        facts.append(fact)
    return facts


_FROM = re.compile(r"(?:从|由)(?:(?:19|20)\d\d年的?|原来的|原|过去的?)?$")
_LINK = re.compile(rf"^(?:{VERB})?(?:到|至|为)?$|^(?:{VERB})(?:到|至|为)$|^(?:到|至)$")


def _from_to(text: str, quantities: list[Fact], i: int, used: set[int]) -> Fact | None:
    """从/由 Q1 … 到/至/为 Q2."""
    q1 = quantities[i]
    head = _FROM.search(text, max(0, q1.start - 12), q1.start)
    if head is None or i + 1 >= len(quantities):
        return None
    q2 = quantities[i + 1]
    link = text[q1.end : q2.start]
    if len(link) > 8 or not re.search("到|至|为", link) or not _LINK.match(link):
        return None
    before, after = q1.fields["value"], q2.fields["value"]
    change = None
    if before and after is not None:
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
        "unit": q2.fields["unit"] or q1.fields["unit"],
        "change_pct": change,
        "direction": direction,
    }
    return Fact("effect", head.start(), q2.end, 0.9, fields)


_DELTA = re.compile(
    rf"(?:较(?:(?:19|20)\d\d年|上年|去年|同期|以前|原来)?)?(?P<verb>{VERB})(?:了)?(?P<to>到|至|为)?$"
)


def _delta(text: str, q: Fact) -> Fact | None:
    """VERB + Q: 压减88%, 缩短5个工作日, 压缩至3-4分钟, 较2017年压缩93.54%, 增长55%."""
    head = _DELTA.search(text, max(0, q.start - 12), q.start)
    if head is None:
        return None
    verb, unit = head.group("verb"), q.fields["unit"]
    direction = _direction(verb)
    value = q.fields["value"]
    fields: dict[str, object] = {"before": None, "after": None, "unit": unit, "change_pct": None}
    if head.group("to") or verb.endswith("至"):
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
