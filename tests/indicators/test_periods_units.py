from decimal import Decimal

import pytest

from zimao.indicators.periods import PeriodError, parse_period
from zimao.indicators.units import UnitError, convert, normalise_unit


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
