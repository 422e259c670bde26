"""Units: read what a file writes (万元, 亿美元, 万家, ％ …) and convert to the indicator's unit.

Every unit belongs to a family and has a factor to the family's base. Converting between
yuan and dollars needs an exchange rate, which the row must state together with its source;
the rate and its source are stored with the observation, so the conversion can be redone.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# family, factor to the family's base unit (亿元, 亿美元, 家, 个, %, km², 天)
UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("cny", Decimal("0.00000001")),
    "万元": ("cny", Decimal("0.0001")),
    "亿元": ("cny", Decimal(1)),
    "万亿元": ("cny", Decimal(10000)),
    "美元": ("usd", Decimal("0.00000001")),
    "万美元": ("usd", Decimal("0.0001")),
    "亿美元": ("usd", Decimal(1)),
    "家": ("firms", Decimal(1)),
    "户": ("firms", Decimal(1)),
    "万家": ("firms", Decimal(10000)),
    "万户": ("firms", Decimal(10000)),
    "个": ("count", Decimal(1)),
    "项": ("count", Decimal(1)),
    "件": ("count", Decimal(1)),
    "%": ("percent", Decimal(1)),
    "平方公里": ("area", Decimal(1)),
    "天": ("days", Decimal(1)),
    "工作日": ("days", Decimal(1)),
    "分": ("score", Decimal(1)),  # a rating (满意度, 1–5)
}
ALIASES = {
    "％": "%",
    "百分比": "%",
    "人民币元": "元",
    "万元人民币": "万元",
    "亿元人民币": "亿元",
    "人民币亿元": "亿元",
    "万亿": "万亿元",
    "亿": "亿元",
    "万": "万元",
    "美金": "美元",
    "亿美金": "亿美元",
    "km²": "平方公里",
    "km2": "平方公里",
    "平方千米": "平方公里",
    "USD100M": "亿美元",
    "CNY100M": "亿元",
}
PERCENT_POINT = "个百分点"


class UnitError(ValueError):
    """A unit that cannot be read or converted; the message is shown to users (Chinese)."""


@dataclass(frozen=True)
class Converted:
    value: Decimal
    unit: str
    note: str  # how the value was obtained, empty when nothing was converted


def normalise_unit(text: str) -> str:
    unit = text.strip().replace(" ", "")
    unit = ALIASES.get(unit, unit)
    if unit and unit not in UNITS:
        raise UnitError(_("无法识别的单位“%(unit)s”") % {"unit": text.strip()})
    return unit


def needs_rate(unit: str, target: str) -> bool:
    families = {UNITS[u][0] for u in (unit, target) if u in UNITS}
    return families == {"cny", "usd"}


def convert(value: Decimal, unit: str, target: str, rate: Decimal | None = None) -> Converted:
    """Express `value unit` in `target`; yuan↔dollars needs `rate` (yuan per dollar)."""
    unit, target = normalise_unit(unit), normalise_unit(target)
    if not target or not unit or unit == target:
        return Converted(value, unit or target, "")
    family, factor = UNITS[unit]
    target_family, target_factor = UNITS[target]
    base = value * factor
    note = f"{_plain(value)} {unit}"
    if family != target_family:
        if {family, target_family} != {"cny", "usd"}:
            raise UnitError(_("“%(a)s”不能换算为“%(b)s”") % {"a": unit, "b": target})
        if rate is None or rate <= 0:
            raise UnitError(
                _("“%(a)s”换算为“%(b)s”须给出汇率（1美元兑人民币元）及其来源")
                % {"a": unit, "b": target}
            )
        base = base * rate if family == "usd" else base / rate
        note += f"，按汇率 {_plain(rate)} 折算"
    converted = base / target_factor
    return Converted(converted, target, f"{note}，折合 {_plain(converted)} {target}")


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


# One rule for decimals per unit family, so a column, a sentence and a chart label print the
# same number the same way: money and areas to the hundredth, shares and days to the tenth,
# counts whole. Units outside the table get two decimals.
DECIMALS = {
    "cny": 2,
    "usd": 2,
    "firms": 0,
    "count": 0,
    "percent": 1,
    "area": 2,
    "days": 1,
    "score": 2,
}
SCALED = {"万家": 2, "万户": 2, PERCENT_POINT: 1}


def decimals_for(unit: str) -> int:
    """How many decimals a value in `unit` is printed with."""
    if unit in SCALED:
        return SCALED[unit]
    family = UNITS.get(ALIASES.get(unit, unit), ("", Decimal(1)))[0]
    return DECIMALS.get(family, 2)


def rounded(value: Decimal | float | None, unit: str = "") -> float | None:
    """A value rounded as it is printed, for chart data (no 105.3975 on a bar)."""
    if value is None:
        return None
    places = decimals_for(unit)
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def format_value(value: Decimal | float | None, unit: str = "") -> str:
    """A number as a report prints it: grouped thousands, the unit's decimals, unit after."""
    if value is None:
        return "未知"
    places = decimals_for(unit)
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)  # 四舍五入
    if number == 0:
        number = abs(number)  # never "-0.0"
    whole = f"{number:,f}"
    return f"{whole} {unit}".strip() if unit and unit != "%" else f"{whole}{unit}"


def plain_value(value: Decimal | float | str | None, unit: str = "") -> str:
    """A number at most to the unit's decimals and without a useless trailing zero (15, not
    15.0), for sentences such as 15 → 3 天; text that is not a number is returned as it is."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.quantize(Decimal(1).scaleb(-decimals_for(unit)), ROUND_HALF_UP)
    return format((abs(number) if number == 0 else number).normalize(), "f")
