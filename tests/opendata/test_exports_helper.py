"""safe_cell: what a spreadsheet would run as a formula is neutralised, reversibly."""

import pytest

from zimao.lib.exports import safe_cell, unsafe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+86 21", "'+86 21"),
        ("-5%", "'-5%"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("'=1", "''=1"),  # already quoted: one more quote, so the round trip is exact
        ("'plain", "''plain"),
        ("上海", "上海"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_text_is_quoted_and_unquoted_exactly(value, cell):
    assert safe_cell(value) == cell
    assert unsafe_cell(cell) == value


def test_numbers_are_data_not_formulas():
    assert safe_cell(-5) == -5
    assert safe_cell(-0.5) == -0.5
    assert safe_cell(None) is None
