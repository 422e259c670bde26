"""Statistical periods: what an observation's `period` string means, and how a user may write it.

Canonical forms (stored, and accepted by the reference loader):

    2023            the year
    2023-H1         first half (H2: second half)
    2023-Q2         a quarter
    2023-05         a month
    2023-01..08     January to August, year to date (1—8月)
    2013..2018      several whole years together (a cumulative flow)
    2023-08-31      a stock at a date (2023-08 and 2023 are also used for stocks when the
                    source gives no day; the `cumulative` flag tells a stock from a flow)

The import accepts the forms people type as well: 2023Q2, 2023年第二季度, 2023年5月, 2023年1-8月,
2023年1—8月, 2023年上半年, 2013-2018, 2023年8月31日, 2023年末.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


class PeriodError(ValueError):
    """The text is not a period; the message is shown to users (Chinese)."""


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # year | half | quarter | month | months | years | date
    year: int
    first_month: int
    last_month: int
    first_year: int | None = None  # for `years`

    @property
    def sort_key(self) -> tuple[int, int, int]:
        day = int(self.code[8:10]) if self.kind == "date" else 31
        return (self.year, self.last_month, day)

    @property
    def label(self) -> str:
        """Return the Chinese way of writing the period (2023年1—8月)."""
        y = self.year
        if self.kind == "year":
            return f"{y}年"
        if self.kind == "half":
            return f"{y}年{'上' if self.first_month == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{y}年第{'一二三四'[(self.first_month - 1) // 3]}季度"
        if self.kind == "month":
            return f"{y}年{self.first_month}月"
        if self.kind == "months":
            return f"{y}年{self.first_month}—{self.last_month}月"
        if self.kind == "years":
            return f"{self.first_year}—{y}年"
        return f"{y}年{self.last_month}月{int(self.code[8:10])}日"

    def shifted(self, years: int) -> "Period":
        """The same span `years` earlier or later (for year-on-year growth)."""
        if self.kind == "years":
            raise PeriodError(_("多年合计无法比较同期"))
        code = f"{self.year + years}{self.code[4:]}"
        if self.kind == "date" and code.endswith("-02-29"):
            code = code[:-2] + "28"
        return parse_period(code)


_MONTH_RANGE = re.compile(r"^(\d{4})-(\d{1,2})\.\.(\d{1,2})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\.\.(\d{4})$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-?H([12])$")


def _normalise(text: str) -> str:
    """Fold the many ways of writing a period onto ASCII separators."""
    value = text.strip().upper()
    value = value.translate(str.maketrans("０１２３４５６７８９－／．～", "0123456789-/.~"))
    value = re.sub(r"\s+", "", value)
    value = re.sub(r"年末$|年底$", "-12-31", value)
    value = re.sub(r"^(\d{4})年(?:第)?([一二三四1-4])季度$", lambda m: _quarter(m), value)
    value = re.sub(r"^(\d{4})年上半年$", r"\1-H1", value)
    value = re.sub(r"^(\d{4})年下半年$", r"\1-H2", value)
    value = re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", r"\1-\2-\3", value)
    value = re.sub(r"^(\d{4})年(\d{1,2})(?:月)?[-—–~至到](\d{1,2})月$", r"\1-\2..\3", value)
    value = re.sub(r"^(\d{4})年(\d{1,2})月$", r"\1-\2", value)
    value = re.sub(r"^(\d{4})年$", r"\1", value)
    value = re.sub(r"^(\d{4})年?[—–~至到](\d{4})年?$", r"\1..\2", value)
    value = re.sub(r"^(\d{4})-(\d{4})$", r"\1..\2", value)
    value = re.sub(r"^(\d{4})-(\d{1,2})(?:~|—|–|至|到|\.\.)(?:\1-)?(\d{1,2})$", r"\1-\2..\3", value)
    value = re.sub(r"^(\d{4})[/.](\d{1,2})$", r"\1-\2", value)
    return value


def _quarter(match: re.Match[str]) -> str:
    q = match.group(2)
    return f"{match.group(1)}-Q{CHINESE_DIGITS.get(q, q)}"


def _month(value: str) -> int:
    month = int(value)
    if not 1 <= month <= 12:
        raise PeriodError(_("月份 %(m)s 不存在") % {"m": month})
    return month


def parse_period(text: str) -> Period:
    """Return the period a text names, or raise PeriodError with a Chinese message."""
    value = _normalise(text)
    if re.fullmatch(r"\d{4}", value):
        return Period(value, "year", int(value), 1, 12)
    if m := _HALF.fullmatch(value):
        year, half = int(m.group(1)), int(m.group(2))
        return Period(f"{year}-H{half}", "half", year, 1 + 6 * (half - 1), 6 * half)
    if m := _QUARTER.fullmatch(value):
        year, quarter = int(m.group(1)), int(m.group(2))
        first, last = QUARTER_MONTHS[quarter]
        return Period(f"{year}-Q{quarter}", "quarter", year, first, last)
    if m := _MONTH_RANGE.fullmatch(value):
        year, first, last = int(m.group(1)), _month(m.group(2)), _month(m.group(3))
        if first >= last:
            raise PeriodError(_("月份区间 %(a)s—%(b)s 须由小到大") % {"a": first, "b": last})
        return Period(f"{year}-{first:02d}..{last:02d}", "months", year, first, last)
    if m := _YEAR_RANGE.fullmatch(value):
        first_year, year = int(m.group(1)), int(m.group(2))
        if first_year >= year:
            raise PeriodError(_("年份区间 %(a)s—%(b)s 须由小到大") % {"a": first_year, "b": year})
        return Period(f"{first_year}..{year}", "years", year, 1, 12, first_year)
    if m := _MONTH.fullmatch(value):
        year, month = int(m.group(1)), _month(m.group(2))
        return Period(f"{year}-{month:02d}", "month", year, month, month)
    if m := _DATE.fullmatch(value):
        year, month, day = int(m.group(1)), _month(m.group(2)), int(m.group(3))
        if not 1 <= day <= 31:
            raise PeriodError(_("日期 %(d)s 日不存在") % {"d": day})
        return Period(f"{year}-{month:02d}-{day:02d}", "date", year, month, month)
    raise PeriodError(
        _(
            "无法识别的时期“%(text)s”（可写 2023、2023Q2、2023-05、2023-01..08、2023年1—8月、"
            "2013..2018 或 2023-08-31）"
        )
        % {"text": text}
    )


def is_canonical(text: str) -> bool:
    try:
        return parse_period(text).code == text
    except PeriodError:
        return False


def period_label(code: str) -> str:
    """The Chinese label of a stored period code, or the code itself if it is not one."""
    try:
        return parse_period(code).label
    except PeriodError:
        return code
