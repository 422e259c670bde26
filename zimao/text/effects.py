"""Stated changes caused by a measure: 从72小时压缩到37小时 · 审批时限压减88% · 缩短5个工作日.

A small grammar of change finds candidates around the quantities already extracted:
- from-to: 从/由 Q1, a change verb with its particle (压缩至, 减为, 合并为, 降到), Q2 or zero;
- delta: a change verb, then a relative amount (88%, 六成, 一半, 2倍) or an absolute one
  (5个工作日), or, after a particle, the level reached (压缩至1个工作日, 减少至0);
- savings with an object between verb and amount (节约通关成本近两千万元), shares of the old
  level (缩短至原来的三分之一), doublings (翻一番) and 50%以上增长.
Each candidate is then classified: a change in how things are done (time, steps, materials,
visits, cost, fees) is an effect; growth of an economic indicator (trade, investment,
enterprises, tax, output, 同比/环比 statistics) is not (docs/extraction.md).

Every step looks at a bounded window around its quantity, so the work is linear in the text.
"""

import re
from bisect import bisect_right
from collections.abc import Callable

from . import lexicon
from .facts import Fact
from .numbers import parse_number, tidy
from .trie import trie_regex

VERBS = lexicon.change_verbs()
UNITS = lexicon.units()
MEASURE_WORDS = lexicon.measure_words()
VERB = "(?:" + trie_regex(list(VERBS)) + ")"
ADVERB = r"(?:大幅|明显|显著|进一步|有效|分别|平均|普遍|最多|最高|整体|累计|共|均|再|已|仅|可)*"
HEDGE = r"(?:约|近|超过|逾)?"
NO_CLAUSE = r"[^，。；！？,;：:\n\d]"
YEAR = r"(?:19|20)\d\d年(?:末|底|同期)?"
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
# Days per unit, to compare a before and an after written in different units (半年 → 两周).
DAYS = {
    "分钟": 1 / 1440,
    "小时": 1 / 24,
    "个小时": 1 / 24,
    "天": 1,
    "日": 1,
    "周": 7,
    "个月": 30,
    "月": 30,
    "年": 365,
}
WINDOW = 24  # characters of context read before a change for what changed
_CLAUSE = re.compile(r"[，。；！？\n,;：:]")
_MEASURE_WORD = re.compile(trie_regex(list(MEASURE_WORDS)))
_STATISTIC = re.compile(r"同比|环比|年均|同期")
_CHECK_EVERY = 512

Check = Callable[[], None]


def _nothing() -> None:
    return None


def _direction(verb: str) -> str | None:
    """increase or decrease; None for a neutral verb (变为, 调整为), whose values decide."""
    direction = VERBS[verb][0]
    return None if direction == "neutral" else direction


def _pct(value: float | None, unit: str) -> float | None:
    if value is None:
        return None
    return {"%": value, "成": value * 10, "倍": value * 100}.get(unit)


def _convert(before: float | None, unit1: str, after: float | None, unit2: str) -> float | None:
    """Express `before` in the unit of `after` when both are durations (4小时 → 240分钟)."""
    if before is None or unit1 == unit2 or unit1 not in TIME_MINUTES or unit2 not in TIME_MINUTES:
        return before
    if unit2 == "周" and unit1 == "个月":
        return None
    return round(before * TIME_MINUTES[unit1] / TIME_MINUTES[unit2], 4)


def _fields(
    before: float | None = None,
    after: float | None = None,
    unit: str | None = None,
    change_pct: float | None = None,
    direction: str | None = None,
) -> dict[str, object]:
    return {
        "before": tidy(before),
        "after": tidy(after),
        "unit": unit,
        "change_pct": change_pct,
        "direction": direction,
    }


class _Candidate:
    """An effect before classification: the fact, its verb and the words inside its span
    that say what changed (31家企业增加到 → 企业)."""

    __slots__ = ("fact", "inner", "names", "reform", "verb")

    def __init__(self, fact: Fact, verb: str | None, inner: str = "", names: bool = False) -> None:
        self.fact, self.verb, self.inner = fact, verb, inner
        self.names = names  # the inner words name what changed (节约通关成本)
        self.reform = False  # compared with the state before a reform (是改革前的2倍)


# --- from-to -------------------------------------------------------------------------------

# 从/由 but not 自由, 理由 (办理由… is 办理 + 由), 缘由, 经由.
_FROM = re.compile(rf"[从由](?<![自缘经][从由])(?<!(?<!办)理由)(?:{NO_CLAUSE}|{YEAR}){{0,12}}$")
_LINK = re.compile(
    rf"(?P<inner>{NO_CLAUSE}{{0,6}}?){ADVERB}(?P<verb>{VERB})了?{ADVERB}"
    rf"(?:至|到|为|成)(?:{NO_CLAUSE}|{YEAR}){{0,8}}"
)
_BARE_LINK = re.compile(rf"{ADVERB}(?:到|至|为)")
_ZERO = re.compile(r"(?<![\d.．])(?:零|0)(?![\d.．])")


def _from_to(text: str, quantities: list[Fact], i: int, used: set[int]) -> _Candidate | None:
    """从/由 Q1 … VERB 至/到/为 Q2 (or 零)."""
    q1 = quantities[i]
    head = _FROM.search(text, max(0, q1.start - 20), q1.start)
    if head is None:
        if i + 1 < len(quantities) and 2 <= quantities[i + 1].start - q1.end <= 12:
            return _bare_from_to(text, quantities, i, used)
        return None
    q2 = quantities[i + 1] if i + 1 < len(quantities) else None
    near = q2 is not None and q2.start - q1.end <= 24
    link = _LINK.fullmatch(text, q1.end, q2.start) if q2 is not None and near else None
    zero = None
    if link is None and not (
        q2 is not None and near and _BARE_LINK.fullmatch(text, q1.end, q2.start)
    ):
        zero = _zero_after(text, q1.end, q2)
        if zero is None:
            return None
        link = _LINK.fullmatch(text, q1.end, zero.start())
    unit1, before = q1.fields["unit"], q1.fields["value"]
    if zero is not None or q2 is None:
        after, unit2, end = 0.0, unit1, (zero.end() if zero else q1.end)
    else:
        after, unit2, end = q2.fields["value"], q2.fields["unit"], q2.end
        used.add(i + 1)
    unit = unit2 or unit1
    if zero is None and q2 is not None and not same_quantity(text, q1, q2, link):
        return None  # 由5个部门审批减为1个窗口: two different things, no change of one
    rank = q1.fields.get("rank") or (zero is None and q2 is not None and q2.fields.get("rank"))
    change = None
    if before and after is not None and not rank:
        change = percent_change(before, unit1 or unit, after, unit)
    verb = link.group("verb") if link else None
    direction = _direction(verb) if verb else None
    if direction is None and before is not None and after is not None and before != after:
        falls = _falls(before, unit1 or unit, after, unit)
        direction = "decrease" if falls else "increase"
    inner = text[head.start() : q1.start] + (link.group("inner") if link else "")
    fields = _fields(before, after, unit, change, direction)
    _own_units(fields, q1, unit1, unit)
    return _Candidate(Fact("effect", head.start(), end, 0.9, fields), verb, inner)


_AND = re.compile(r"[\u4e00-\u9fff]{0,4}?[”\"」]?[、和及与][“\"「]?")  # 个环节、3天


def _compound_from_to(
    text: str, quantities: list[Fact], i: int, used: set[int]
) -> list[_Candidate]:
    """从“5个环节、3天”压缩为“1个环节、0.5天”: two values on each side, paired in order."""
    if (
        i + 3 >= len(quantities)
        or _FROM.search(text, max(0, quantities[i].start - 20), quantities[i].start) is None
    ):
        return []
    a1, b1, a2, b2 = quantities[i : i + 4]
    if not (_AND.fullmatch(text, a1.end, b1.start) and _AND.fullmatch(text, a2.end, b2.start)):
        return []
    link = _LINK.fullmatch(text, b1.end, a2.start)
    if link is None:
        return []
    found = []
    for old, new in ((a1, a2), (b1, b2)):
        if old.fields["value"] is None or new.fields["value"] is None:
            return []
        if same_quantity(text, old, new):  # 4个部门 → 1个窗口 is no change of one thing
            pair = _pair(old, new)
            pair.verb = link.group("verb")
            found.append(pair)
    if found:
        used.update((i + 1, i + 2, i + 3))
    return found


def _own_units(fields: dict[str, object], q1: Fact, unit1: str, unit: str | None) -> None:
    """Each side keeps its own unit (约半年 → 两周左右: before 0.5 年); a range before-value
    keeps its upper end."""
    if unit1 and unit and unit1 != unit and _kind(unit1) == _kind(unit):
        fields["before_unit"] = unit1
    if q1.fields.get("value_max") is not None:
        fields["before_max"] = q1.fields["value_max"]


def _days(value: float, unit: str) -> float | None:
    factor = DAYS.get(unit)
    return None if factor is None else value * factor


def percent_change(before: float, unit1: str, after: float, unit2: str) -> float | None:
    """Signed percent from before to after, over converted values when the units differ
    (工作日 converts only to 工作日; other units only to themselves or by a magnitude)."""
    if unit1 != unit2:
        b, a = _days(before, unit1), _days(after, unit2)
        if b is None or a is None:
            (b, base1), (a, base2) = _base(before, unit1), _base(after, unit2)
            if base1 != base2:
                return None
        before, after = b, a
    if not before:
        return None
    return round((after - before) / before * 100, 2)


_MAGNITUDE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}


def _base(value: float, unit: str) -> tuple[float, str]:
    """1.2万家 → (12000, 家), 3亿元 → (3e8, 元): a value in its base unit."""
    for prefix, factor in _MAGNITUDE.items():
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return value * factor, unit[len(prefix) :]
    return value, unit


def _falls(before: float, unit1: str, after: float, unit2: str) -> bool:
    """Does the value fall? 工作日 count as 1.4 days here (a week has five)."""
    days = DAYS | {"个工作日": 1.4, "工作日": 1.4}
    if unit1 != unit2 and unit1 in days and unit2 in days:
        return after * days[unit2] < before * days[unit1]
    return _base(after, unit2)[0] < _base(before, unit1)[0]  # 1.2万家 → 9000家 falls


_NOUN = re.compile(r"[\u4e00-\u9fff]{2}")
_NOUN_RUN = re.compile(r"[\u4e00-\u9fff]{2,4}")
# Words that follow a count without naming what was counted (由18个精简至4个).
_NOT_NOUNS = frozenset(VERBS) | {"左右", "以上", "以内", "以下", "之内", "多个", "即可", "就能"}


def same_quantity(text: str, q1: Fact, q2: Fact, link: re.Match[str] | None = None) -> bool:
    """Can q1 and q2 be the same quantity? Units must be of one kind (durations with
    durations) and a count must count the same thing (5个部门 and 1个窗口 are not)."""
    unit1, unit2 = q1.fields["unit"] or "", q2.fields["unit"] or ""
    if unit1 != unit2 and "个" in (unit1, unit2) and (unit1 + unit2).count("个") == 2:
        return True  # 由10个工作日缩短为5个: the bare 个 borrows the other side's unit (not 家)
    if unit1 and unit2 and unit1 != unit2:
        kind1, kind2 = _kind(unit1), _kind(unit2)
        if kind1 != kind2 or kind1 not in {"time", "money", "count", "mass", "area", "volume"}:
            return False
        if kind1 == "count" and unit1.lstrip("万亿千") != unit2.lstrip("万亿千"):
            return False
    if _kind(unit1 or unit2) != "count":
        return True
    noun1 = _NOUN.match(text, q1.end)
    noun2 = _NOUN.match(text, q2.end)
    if noun1 is None or noun2 is None:
        return True
    first, second = noun1.group(), noun2.group()
    if first in _NOT_NOUNS or second in _NOT_NOUNS or any(first.startswith(v) for v in VERBS):
        return True
    if link is not None and first in (link.group("verb") or ""):
        return True
    near = text[q2.end : q2.end + 6]
    if first in near:
        return True
    phrase = _NOUN_RUN.match(text, q1.end)  # 七八份纸质单证 … 两三份电子单证: the same 单证
    words = phrase.group() if phrase else first
    return any(words[k : k + 2] in near for k in range(1, len(words) - 1))


_TIGHT_LINK = re.compile(rf"{ADVERB}(?P<verb>{VERB})了?{ADVERB}(?:至|到|为)")


def _bare_from_to(text: str, quantities: list[Fact], i: int, used: set[int]) -> _Candidate | None:
    """30个工作日压缩到10个工作日: a from-value without 从/由, right before the change verb,
    in the same unit (or both durations) as the value reached."""
    if i + 1 >= len(quantities):
        return None
    q1, q2 = quantities[i], quantities[i + 1]
    if not 2 <= q2.start - q1.end <= 12:
        return None  # the verb and its particle sit right between the two values
    link = _TIGHT_LINK.fullmatch(text, q1.end, q2.start)
    if link is None or q1.fields["value"] is None or q2.fields["value"] is None:
        return None
    unit1, unit2 = q1.fields["unit"], q2.fields["unit"]
    if unit1 != unit2 and not (unit1 in DAYS and unit2 in DAYS):
        return None
    if q1.fields.get("rank") or q2.fields.get("rank"):
        return None
    before, after = float(q1.fields["value"]), float(q2.fields["value"])
    verb = link.group("verb")
    falls = _falls(before, unit1, after, unit2)
    direction = _direction(verb) or ("decrease" if falls else "increase")
    fields = _fields(before, after, unit2, percent_change(before, unit1, after, unit2), direction)
    _own_units(fields, q1, unit1, unit2)
    used.add(i + 1)
    return _Candidate(Fact("effect", q1.start, q2.end, 0.8, fields), verb)


def _zero_after(text: str, position: int, following: Fact | None) -> re.Match[str] | None:
    """A link ending in 零 or a bare 0 that starts no quantity: 由3个减为零, 减少至0."""
    stop = min(len(text), position + 16)
    if following is not None:
        stop = min(stop, following.start)
    for match in _ZERO.finditer(text, position, stop):
        if text[match.start() - 1] in "至到为成" and _LINK.fullmatch(text, position, match.start()):
            return match
    return None


# --- delta ---------------------------------------------------------------------------------

_DELTA = re.compile(
    rf"(?:(?:较|比(?![例重率]))(?:{YEAR}|{NO_CLAUSE}){{0,8}}?{ADVERB})?(?P<verb>{VERB})了?{ADVERB}"
    rf"(?:(?P<to>到|至|为)(?P<gap>{NO_CLAUSE}{{1,8}}?的)?)?{HEDGE}$"
)
_DELTA_TAIL = frozenset(
    "".join(v[-1] for v in VERBS) + "到至为约近过逾了幅显著步效别均体计共再高多已仅可的"
)
_GAP = re.compile(
    rf"(?P<verb>{VERB})(?P<gap>(?:(?![“”\"「」\t]){NO_CLAUSE}){{1,9}}?)"
    r"(?P<to>(?<![达比例幅度率])(?:至|到))?"
    r"(?:达|约|近|超过|逾|了)?$"
)
_SAVED = frozenset({"money", "time", "ratio"})  # what a saving with an object is counted in
_SAVING = frozenset(v for v, (_, kind) in VERBS.items() if kind == "process") | {"降低", "减少"}


def _kind(unit: str) -> str | None:
    """The kind of a unit from the lexicon, after any magnitude (万元 → money)."""
    return UNITS.get(unit.lstrip("万亿千"))


# 由18减至4个: a from-value without a unit of its own, right before the change verb.
_BARE_FROM = re.compile(
    rf"[从由](?<![自缘经理][从由])(?:原来的|过去的|原先的|以前的)?"
    rf"(?P<num>(?<![\d.])\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+){ADVERB}$"
)
_COMPARED = re.compile(
    r"(?:较|比)[^，。；！？,;：:\n]{0,12}?(?:全国|全省|平均水平|同类|其他|其它|兄弟)"
    r"[^，。；！？,;：:\n]{0,14}$"
)
_BASE = re.compile(rf"(?:较|比(?![例重率]))(?:{YEAR}|{NO_CLAUSE}){{0,14}}$")
_NOT_BASE = re.compile(r"全国|全省|平均水平|同类|其他|其它|兄弟")


def _base_value(text: str, verb_start: int, previous: Fact | None) -> tuple[Fact, int] | None:
    """较首版清单的190条减少九成: the value compared with, right before the change verb."""
    if previous is None or previous.fields["value"] is None or previous.fields.get("rank"):
        return None
    if not re.fullmatch(ADVERB, text[previous.end : verb_start]):
        return None
    head = _BASE.search(text, max(0, previous.start - 16), previous.start)
    if head is None or _NOT_BASE.search(head.group()):
        return None
    return previous, head.start()


def _ends_in_effect_word(words: str) -> bool:
    """减少办事跑动 ends in what was counted; 合并申报交通运输部全国 is table cells run together."""
    last = None
    for match in _MEASURE_WORD.finditer(words):
        last = match
    return last is not None and last.end() == len(words) and MEASURE_WORDS[last.group()] == "effect"


def _delta(text: str, q: Fact, previous: Fact | None = None) -> _Candidate | None:
    """VERB + Q: 压减88%, 缩短5个工作日, 压缩至3-4分钟, 较2017年压缩93.54%, 节约成本约5000万元."""
    if not q.start:
        return None
    unit = q.fields["unit"]
    head = None
    inner = ""
    names = False
    if text[q.start - 1] in _DELTA_TAIL:
        head = _DELTA.search(text, max(0, q.start - 20), q.start)
        if head is not None and VERBS[head.group("verb")][1] == "bound" and not head.group("to"):
            head = None
    if head is None:
        gap = _GAP.search(text, max(0, q.start - 17), q.start)
        if gap is None or gap.group("verb") not in _SAVING:
            return None
        counted = _kind(unit) == "count" and _ends_in_effect_word(gap.group("gap"))
        if _kind(unit) not in _SAVED and not counted:
            return None  # 减少办事跑动约12万次 counts; 减少企业3家 does not
        head, inner = gap, gap.group("gap")
        names = True
    verb, value = head.group("verb"), q.fields["value"]
    direction = _direction(verb)
    if direction is None:
        return None  # 改为两年一次: a neutral verb says no change without the value before
    fields = _fields(unit=unit, direction=direction)
    if head.groupdict().get("to"):
        fields["after"] = value  # 放宽至企业净资产的2倍: the words before 的 name the base
        bare = _BARE_FROM.search(text, max(0, head.start("verb") - 16), head.start("verb"))
        if bare is not None and value is not None and not head.group("gap"):
            before = parse_number(bare.group("num"))  # 由18减至4个: 18 borrows 个
            if before:
                fields["before"] = tidy(before)
                fields["change_pct"] = percent_change(before, unit, value, unit)
                return _Candidate(Fact("effect", bare.start(), q.end, 0.8, fields), verb, inner)
    else:
        pct = _pct(value, unit)
        if pct is not None:
            fields["change_pct"] = tidy(-pct if direction == "decrease" else pct)
        else:
            fields["change_abs"] = value
    start = head.start() if head.group()[0] in "较比" else head.start("verb")
    if _COMPARED.search(text, max(0, head.start("verb") - 24), head.start("verb")):
        return None  # 比全国平均快2天: a comparison with other places, not a change
    base = None if names else _base_value(text, start, previous)
    if base is not None and _kind(base[0].fields["unit"] or "") != "ratio":
        old = base[0]
        fields["before"] = old.fields["value"]  # a relative change leaves the after value open
        if fields["after"] is not None and value is not None:
            if not same_quantity(text, old, q):
                return None  # 较2019年的3.2天缩短至1.5天: both values
            fields["change_pct"] = percent_change(
                old.fields["value"], old.fields["unit"], value, unit
            )
            _own_units(fields, old, old.fields["unit"], unit)
        elif fields.get("change_pct") is None:
            if not same_quantity(text, old, q):
                return None
        else:
            fields["unit"] = old.fields["unit"]
        start = base[1]
    return _Candidate(Fact("effect", start, q.end, 0.8, fields), verb, inner, names)


_ZERO_DELTA = re.compile(rf"(?P<verb>{VERB})了?{ADVERB}(?:至|到|为)(?:零|0)(?![\d.．])")


_HALVED = re.compile(r"减半")


def _halved(text: str, taken: list[tuple[int, int]]) -> list[_Candidate]:
    """查验费用减半, 减半收取: a cut of 50 %."""
    found = []
    for match in _HALVED.finditer(text):
        if any(a < match.end() and match.start() < b for a, b in taken):
            continue
        fields = _fields(change_pct=-50, direction="decrease")
        found.append(_Candidate(Fact("effect", match.start(), match.end(), 0.75, fields), "减少"))
    return found


def _to_zero(text: str, taken: list[tuple[int, int]], starts: set[int]) -> list[_Candidate]:
    """减少至0, 削减为零: a level that falls to zero, where no quantity carries the zero."""
    found = []
    begins = [a for a, _ in taken]
    for match in _ZERO_DELTA.finditer(text):
        zero = match.end() - 1
        index = bisect_right(begins, match.end() - 1) - 1
        if zero in starts or (index >= 0 and taken[index][1] > match.start()):
            continue
        verb = match.group("verb")
        if VERBS[verb][0] != "decrease":
            continue
        fields = _fields(after=0, direction="decrease")
        found.append(_Candidate(Fact("effect", match.start(), match.end(), 0.8, fields), verb))
    return found


# --- other forms ---------------------------------------------------------------------------

_DOUBLE = re.compile(rf"(?:(?:较|比)(?:{YEAR})?(?:同期|上年|去年)?)?翻了?$")


def _doubling(text: str, q: Fact) -> _Candidate | None:
    """翻一番 / 翻两番: +100 % / +300 %."""
    if q.fields["unit"] != "番" or q.fields["value"] not in (1, 2):
        return None
    head = _DOUBLE.search(text, max(0, q.start - 12), q.start)
    if head is None:
        return None
    change = 100 if q.fields["value"] == 1 else 300
    fields = _fields(change_pct=change, direction="increase")
    return _Candidate(Fact("effect", head.start(), q.end, 0.8, fields), "翻")


_OF_BEFORE = re.compile(
    rf"(?:(?P<verb>{VERB})(?:至|到|为)了?|(?:是|为|达到|达|相当于|仅为|只有|仅是|约为|不到))"
    r"(?P<base>原来|以前|改革前|改革以前|改革之前|过去|此前|以往|实施前|试点前)的$"
)


def _share_of_before(text: str, q: Fact) -> _Candidate | None:
    """缩短至原来的三分之一, 是改革前的2倍多: the new level as a share or a multiple of the
    old one (×2 is +100 %)."""
    unit, value = q.fields["unit"], q.fields["value"]
    if text[q.start - 1 : q.start] != "的" or unit not in {"%", "倍"} or value is None:
        return None
    head = _OF_BEFORE.search(text, max(0, q.start - 14), q.start)
    if head is None:
        return None
    share = value if unit == "%" else value * 100
    change = tidy(round(share - 100, 2))
    direction = "decrease" if share < 100 else "increase"
    fields = _fields(unit="%", change_pct=change, direction=direction)
    verb = head.group("verb")
    candidate = _Candidate(Fact("effect", head.start(), q.end, 0.75, fields), verb)
    candidate.reform = True  # compared with the state before a change (原来, 改革前, 以往)
    return candidate


_AFTER = re.compile(r"(?:的)?(?P<verb>增长|增幅|下降|降幅)")


def _after_verb(text: str, q: Fact) -> _Candidate | None:
    """Q + 增长: 50%以上增长."""
    if q.fields["unit"] != "%":
        return None
    tail = _AFTER.match(text, q.end)
    if tail is None:
        return None
    decrease = tail.group("verb") in {"下降", "降幅"}
    value = q.fields["value"]
    pct = tidy(-value if decrease and value is not None else value)
    fields = _fields(unit="%", change_pct=pct, direction="decrease" if decrease else "increase")
    verb = "下降" if decrease else "增长"
    return _Candidate(Fact("effect", q.start, tail.end(), 0.7, fields), verb)


# --- what changed, and whether a measure changed it ----------------------------------------


class _Context:
    """Clause boundaries of a text, found once, read in bounded windows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [m.end() for m in _CLAUSE.finditer(text)]

    def clause_start(self, position: int) -> int:
        index = bisect_right(self.starts, position) - 1
        return self.starts[index] if index >= 0 else 0

    def before(self, position: int) -> str:
        """The clause before `position`, at most WINDOW characters of it."""
        return self.text[max(self.clause_start(position), position - WINDOW) : position]

    def previous(self, position: int) -> str:
        """The clause before the one holding `position`, at most WINDOW characters."""
        start = self.clause_start(position)
        if start == 0:
            return ""
        return self.before(start - 1)


def _head(words: str, falls: bool = False) -> str | None:
    """The class of the last measure word in `words` (the head of a noun phrase). A neutral
    head (数量) that falls takes the class of the word before it (检查船舶数量减少三成); a
    rising one, or one alone, is an indicator (推广事项数量由12项增加到47项)."""
    last = None
    neutral = False
    for match in _MEASURE_WORD.finditer(words):
        kind = MEASURE_WORDS[match.group()]
        if kind == "neutral":
            neutral = True
        else:
            last, neutral = kind, False
    if neutral and last is None:
        return None if falls else "indicator"  # 窗口数量由12个整合为3个: the verb decides
    if neutral and not falls:
        return "indicator"
    return last


def _first(words: str) -> str | None:
    match = _MEASURE_WORD.search(words)
    kind = MEASURE_WORDS[match.group()] if match else None
    return "indicator" if kind == "neutral" else kind


def is_measure_effect(candidate: _Candidate, context: _Context) -> bool:
    """A change in how things are done, or a statistic of the economy?

    The words inside the change (节约通关成本) decide first, then the head word of the clause
    before it (企业开办时间, 进出口总额). Without one, a process verb (压缩, 精简) says that a
    measure acted; otherwise the clause before decides (新设企业312家，增长约两成), then a
    同比/环比 marker says statistic, and last a fall is an effect and a rise a statistic.
    """
    fact = candidate.fact
    if candidate.reform:
        return True
    unit_kind = _kind(fact.fields.get("unit") or "")
    if unit_kind == "score":
        return False  # 得分下降0.21分: a change of an evaluation score is a statistic
    if unit_kind == "time" and (
        fact.fields.get("before") is not None
        or fact.fields.get("change_abs") is not None
        or VERBS.get(candidate.verb or "", ("", ""))[1] == "process"
    ):
        return True  # a duration that changed (签约到开工由6个月缩短至3个月) is how things are done
    falls = fact.fields.get("direction") == "decrease"
    if not falls and _CAPACITY.search(context.before(fact.start)):
        return True  # 每天能装卸的集装箱翻了一番: what can be handled in a day, a capacity
    kind = _first(candidate.inner) or _head(context.before(fact.start), falls)
    if kind is not None:
        return kind == "effect"
    text = context.text
    year_on_year = (
        text[max(0, fact.start - 1) : fact.start + 1] in {"同比", "环比"}
        or text[max(0, fact.start - 2) : fact.start] in {"同比", "环比"}
        or _LAST_YEAR.match(text, fact.start) is not None
    )
    if year_on_year and fact.fields.get("direction") == "increase":
        return False  # 退税额同比增长27%: nothing names a process, 同比 says statistic
    if VERBS.get(candidate.verb or "", ("", ""))[1] == "process":
        return True
    kind = _head(context.previous(fact.start), falls)
    if kind is not None:
        return kind == "effect"
    if _STATISTIC.search(context.text, max(0, fact.start - 8), fact.end):
        return False
    return fact.fields.get("direction") == "decrease"


_CAPACITY = re.compile(  # handled, not produced: 每天能接待的, 每小时可处理 (not 每年可实现的产值)
    r"(?:每(?:天|日|小时|个?月|年|周)|日均|单日|单位时间)[^，。；]{0,4}?(?:能够|能|可以|可)"
    r"(?:办理|办结|办|处理|受理|接待|接收|装卸|查验|验放|放行|通关|审核|审批|服务)"
    r"[\u4e00-\u9fff]{0,2}(?:的|$)"
)
_LAST_YEAR = re.compile(r"(?:比|较)(?:上年|去年|上一年)(?:同期)?")
_LEAD = re.compile(r"^(?:使|将|把|让|其中|同时|并|且|从而|进而|实现|推动|助力)+")
_TRAIL = re.compile(r"(?:同比|年均|较上年|比上年|比去年同期|分别|平均)+$")
_NUMBER_START = re.compile(r"[\d*×]")


def _measure(context: _Context, start: int) -> str:
    words = context.before(start).strip()
    if not words:
        previous = context.previous(start)
        cut = _NUMBER_START.search(previous)
        words = (previous[: cut.start()] if cut else previous).strip()
    words = _LEAD.sub("", words)
    words = _TRAIL.sub("", words)
    return words[-16:]


def find_effects(text: str, quantities: list[Fact], check: Check = _nothing) -> list[Fact]:
    """Return effect facts built around the quantities already found in `text`.

    `check` is called now and then; it may raise to stop work that takes too long.
    """
    context = _Context(text)
    candidates: list[_Candidate] = []
    used: set[int] = set()
    for i, q in enumerate(quantities):
        if i % _CHECK_EVERY == 0:
            check()
        if i in used:
            continue
        both = _compound_from_to(text, quantities, i, used)
        if both:
            candidates += both
            continue
        candidate = (
            _from_to(text, quantities, i, used)
            or _share_of_before(text, q)
            or _doubling(text, q)
            or _delta(text, q, quantities[i - 1] if i else None)
            or _after_verb(text, q)
        )
        if candidate is None:
            continue
        candidates.append(candidate)
        candidates += _respectively(text, quantities, i, candidate, used)
    candidates = _with_multiple(text, candidates)
    candidates = _then_and_now(text, quantities, candidates)
    taken = sorted((c.fact.start, c.fact.end) for c in candidates)
    candidates += _to_zero(text, taken, {q.start for q in quantities})
    if "减半" in text:
        candidates += _halved(text, taken)
    candidates.sort(key=lambda c: c.fact.start)
    facts = []
    for candidate in candidates:
        if is_measure_effect(candidate, context):
            named = candidate.inner if candidate.names else ""
            candidate.fact.fields["measure"] = named or _measure(context, candidate.fact.start)
            facts.append(candidate.fact)
    return _merge(text, facts)


_PAST = re.compile(r"过去|以前|原来|原先|原本|此前|以往|改革前|改革以前|之前|从前(?!海)")
_NOW = re.compile(
    r"如今|目前|当前|改革后|改革以后|改革之后|(?:上线|实施|推行|运行|试点)(?:以|之)?后"
    r"|现(?<![实发出体表展]现)(?=[在只仅已可需要])"
)
_SENTENCE_END = re.compile(r"[。！？；\n]")
_PAIRED_KINDS = frozenset({"time", "count", "money"})


def _then_and_now(
    text: str, quantities: list[Fact], candidates: list[_Candidate]
) -> list[_Candidate]:
    """过去要跑4个窗口、耗时15天，现在1个窗口、3天办结: values marked as the past, then values
    of the same things marked as the present, in the same or the next sentence. A pair
    replaces a change found on the after value alone (改革后压减至45天)."""
    if not _NOW.search(text):
        return candidates
    pairs: list[_Candidate] = []
    starts = [q.start for q in quantities]
    paired: set[int] = set()
    for past in _PAST.finditer(text):
        now = _now_after(text, past)
        if now is None:
            continue
        second_end = _SENTENCE_END.search(text, now.end())
        limit = min(second_end.start() if second_end else len(text), now.end() + 60)
        first = bisect_right(starts, past.end() - 1)
        middle = bisect_right(starts, now.start() - 1, first)
        last = bisect_right(starts, limit - 1, middle)
        if any(q.start == past.end() for q in quantities[first:middle]):
            continue  # 过去五年: a period, not a value of the past
        before = [q for q in quantities[first:middle] if q.start > past.end() and _pairable(q)]
        before = [q for q in before if _SENTENCE_END.search(text, past.end(), q.start) is None]
        after = [q for q in quantities[middle:last] if q.start >= now.end() and _pairable(q)]
        if not before or not after:
            continue
        for old in before:
            if old.start in paired:
                continue
            match = next(
                (new for new in after if new.start not in paired and same_quantity(text, old, new)),
                None,
            )
            if match is None:
                continue
            after.remove(match)
            paired.update((old.start, match.start))
            pairs.append(_pair(old, match))
    spans = [(c.fact.start, c.fact.end) for c in candidates if c.fact.fields.get("before")]
    pairs = [p for p in pairs if not any(a < p.fact.end and p.fact.start < b for a, b in spans)]
    if not pairs:
        return candidates
    covered = [(p.fact.start, p.fact.end) for p in pairs]
    ends = {p.fact.end for p in pairs}
    kept = [
        c
        for c in candidates
        if not (c.fact.end in ends and c.fact.fields.get("before") is None)
        and not any(a <= c.fact.start and c.fact.end <= b for a, b in covered)
    ]
    return kept + pairs


def _with_multiple(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """由4000件提高到12000件，是原来的3倍: the multiple restates the pair; one effect."""
    kept: list[_Candidate] = []
    for candidate in candidates:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.fact.fields.get("before") is not None
            and previous.fact.fields.get("after") is not None
            and candidate.fact.fields.get("before") is None
            and candidate.verb is None
            and candidate.reform
            and text[previous.fact.end : candidate.fact.start] in {"，", ",", ""}
        ):
            previous.fact.end = candidate.fact.end
            previous.reform = True
            continue
        kept.append(candidate)
    return kept


def _now_after(text: str, past: re.Match[str]) -> re.Match[str] | None:
    """The present marker answering a past one: in the same sentence, or at the start of the
    next one (以前材料要二十来份；现在五六份) when no other past marker comes first."""
    end = _SENTENCE_END.search(text, past.end())
    stop = end.start() if end else len(text)
    now = _NOW.search(text, past.end(), stop)
    if now is not None or end is None:
        return now
    following = _SENTENCE_END.search(text, end.end())
    stop = following.start() if following else len(text)
    now = _NOW.search(text, end.end(), min(stop, end.end() + _NEXT_SENTENCE_LEAD))
    if now is None or _PAST.search(text, end.end(), now.start()):
        return None
    return now


_NEXT_SENTENCE_LEAD = 12  # the present marker opens the next sentence (现在网上申报，…)


def _pairable(q: Fact) -> bool:
    return q.fields["value"] is not None and _kind(q.fields["unit"] or "") in _PAIRED_KINDS


def _pair(old: Fact, new: Fact) -> _Candidate:
    before, after = float(old.fields["value"]), float(new.fields["value"])
    unit1, unit = old.fields["unit"], new.fields["unit"]
    change = percent_change(before, unit1, after, unit)
    direction = "decrease" if _falls(before, unit1, after, unit) else "increase"
    fields = _fields(before, after, unit, change, direction)
    _own_units(fields, old, unit1, unit)
    candidate = _Candidate(Fact("effect", old.start, new.end, 0.75, fields), None)
    # fewer or shorter than before is what reforms report; a count or an amount that grew
    # (3家银行 → 11家, 投资5亿元 → 8亿元) is judged like any other rise
    candidate.reform = direction == "decrease" or _kind(unit or "") == "time"
    return candidate


def _respectively(
    text: str, quantities: list[Fact], i: int, first: _Candidate, used: set[int]
) -> list[_Candidate]:
    """分别压缩65.2%和97.1%: the second quantity gets its own effect from the same start."""
    fact = first.fact
    if i + 1 >= len(quantities) or "分别" not in text[fact.start : quantities[i].start]:
        return []
    q2 = quantities[i + 1]
    if not re.fullmatch(r"[和、及与]", text[quantities[i].end : q2.start]):
        return []
    used.add(i + 1)
    fields = dict(fact.fields)
    pct = _pct(q2.fields["value"], q2.fields["unit"])
    if fields.get("change_pct") is not None and pct is not None:
        fields["change_pct"] = tidy(-pct if fields["direction"] == "decrease" else pct)
    elif fields.get("after") is not None:
        fields["after"] = q2.fields["value"]
    second = Fact("effect", fact.start, q2.end, 0.75, fields)
    return [_Candidate(second, first.verb, first.inner)]


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
