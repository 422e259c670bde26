"""Numbers as Chinese policy texts write them: 1,234.5 · 1.2万 · 三亿五千万 · 两万 · 千 · 四成."""

import re
import warnings
from functools import cache
from typing import Any

CN_DIGIT = "零〇一二两三四五六七八九"
CN_NUMBER = rf"[{CN_DIGIT}十百千万亿]+(?:点[{CN_DIGIT}]+)?"
ARABIC_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Masked digits: ＊＊ (folded to **), a single * inside a number (1*.5, *.*), ×× or a single ×
# (not the times sign of 7×24), XX.
REDACTED = r"\d*\*+\d*(?:\.[\d*]+)?|(?<![\d.])×+|[xX]{2,}"
_REDACTED = re.compile(REDACTED)


@cache
def _cn2an() -> Any:
    """cn2an, imported at the first Chinese numeral: its import takes a quarter of a second,
    which every `zimao` command and server start would otherwise pay."""
    with warnings.catch_warnings():  # its import warns about a deprecated pkg_resources API
        warnings.simplefilter("ignore")
        import cn2an

    return cn2an


def is_redacted(token: str) -> bool:
    return bool(_REDACTED.fullmatch(token))


_NEIGHBOURS = re.compile(r"[一两二三四五六七八九]{2}")
_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"两": 2, "零": 0}


_LOOSE_PAIRS = frozenset({"三五"})  # 三五年: "three to five", though not neighbours
_SCALED = re.compile(r"([一两二三四五六七八九])([二三四五六七八九])([十百千万])")
_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def approximate_range(token: str) -> tuple[float, float] | None:
    """两三 (天), 三四 (个), 五六 (家): two neighbouring digits are a rough range, not 23;
    so are 三五 (年) and 二三十 (家, 20 to 30)."""
    if _NEIGHBOURS.fullmatch(token) and (
        _DIGIT[token[1]] == _DIGIT[token[0]] + 1 or token in _LOOSE_PAIRS
    ):
        return float(_DIGIT[token[0]]), float(_DIGIT[token[1]])
    scaled = _SCALED.fullmatch(token)
    if scaled and _DIGIT[token[1]] == _DIGIT[token[0]] + 1:
        scale = _SCALE[token[2]]
        return float(_DIGIT[token[0]] * scale), float(_DIGIT[token[1]] * scale)
    return None


def parse_number(token: str) -> float | None:
    """Return the value of an Arabic or Chinese numeral, or None when it is redacted."""
    if is_redacted(token):
        return None
    rough = approximate_range(token)
    if rough:
        return rough[0]
    if token[0].isdigit():
        return float(token.replace(",", ""))
    if token[0] in "十百千万亿":
        token = "一" + token  # 千家 means one thousand, 十一 is eleven
    token = token.replace("〇", "零")
    value = _cn2an().cn2an(token, "smart")
    return float(value)


def tidy(value: float | None) -> float | int | None:
    """Return whole numbers as int so JSON shows 18, not 18.0."""
    if value is None:
        return None
    return int(value) if value == int(value) and abs(value) < 1e15 else round(value, 6)
