from decimal import Decimal

import pytest

from zimao.indicators.periods import PeriodError, parse_period
from zimao.indicators.units import UnitError, convert, format_value, normalise_unit, rounded


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("2023", "2023", "2023年"),
        ("2023年", "2023", "2023年"),
        ("2023Q2", "2023-Q2", "2023年第二季度"),
        ("2023年第二季度", "2023-Q2", "2023年第二季度"),
        ("2023-05", "2023-05", "2023年5月"),
        ("2023年5月", "2023-05", "2023年5月"),
        ("2023-01..08", "2023-01..08", "2023年1—8月"),
        ("2023年1—8月", "2023-01..08", "2023年1—8月"),
        ("2023年1-8月", "2023-01..08", "2023年1—8月"),
        ("2023年上半年", "2023-H1", "2023年上半年"),
        ("2013-2018", "2013..2018", "2013—2018年"),
        ("2023年8月31日", "2023-08-31", "2023年8月31日"),
        ("２０２２", "2022", "2022年"),
    ],
)
def test_periods_people_write_become_one_code(text, code, label):
    period = parse_period(text)
    assert (period.code, period.label) == (code, label)


@pytest.mark.parametrize("text", ["2023-13", "2023-08..02", "2023年春", "", "2018..2013"])
def test_a_period_that_does_not_exist_is_refused_in_chinese(text):
    with pytest.raises(PeriodError, match="时期|月份|年份|区间"):
        parse_period(text)


def test_year_to_date_compares_with_the_same_months_a_year_earlier():
    assert parse_period("2023-01..08").shifted(-1).code == "2022-01..08"
    assert parse_period("2023-Q2").shifted(-1).code == "2022-Q2"


def test_units_convert_within_a_family_and_across_currencies_only_with_a_rate():
    assert convert(Decimal("35000"), "万元", "亿元").value == Decimal("3.5")
    assert convert(Decimal("1.2"), "万家", "家").value == Decimal("12000")
    converted = convert(Decimal("10"), "亿美元", "亿元", Decimal("7.1"))
    assert converted.value == Decimal("71.0")
    assert "7.1" in converted.note
    with pytest.raises(UnitError, match="汇率"):
        convert(Decimal("10"), "亿美元", "亿元")
    with pytest.raises(UnitError, match="不能换算"):
        convert(Decimal("10"), "家", "亿元")
    assert normalise_unit("％") == "%"
    with pytest.raises(UnitError, match="无法识别"):
        normalise_unit("万吨")


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        (Decimal("105.3975"), "亿元", "105.40 亿元"),
        (Decimal("2040.7"), "亿元", "2,040.70 亿元"),
        (Decimal("14.95"), "亿美元", "14.95 亿美元"),
        (Decimal("26.45"), "%", "26.5%"),  # 四舍五入, not to even
        (Decimal("-0.04"), "%", "0.0%"),  # never "-0.0%"
        (Decimal("1"), "工作日", "1.0 工作日"),
        (Decimal("33044"), "家", "33,044 家"),
        (Decimal("7.333"), "项", "7 项"),
        (Decimal("3.456"), "个百分点", "3.5 个百分点"),
        (None, "亿元", "未知"),
    ],
)
def test_one_rule_for_decimals_per_unit(value, unit, printed):
    assert format_value(value, unit) == printed
    if value is not None:
        assert rounded(value, unit) == float(printed.replace(",", "").rstrip("%").split()[0])
