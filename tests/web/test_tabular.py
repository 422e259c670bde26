"""The one CSV/XLSX module: every string survives export → import, formulas never run, and a
large table is written whole."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zimao.lib.tabular import (
    escape,
    read_table,
    table_bytes,
    table_response,
    unescape,
)

FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Text a spreadsheet can hold: no surrogates (not encodable) …
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
# … and, for XLSX, none of the control characters XML 1.0 cannot carry.
XML_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"]
        + ["\ufffe", "\uffff"],
    ),
    max_size=40,
)
# strings that start with what the rule cares about come up often
TRICKY = st.builds(lambda p, s: p + s, st.sampled_from(["", "'", "''", *FORMULA, "'="]), ANY_TEXT)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a busy machine
@given(st.one_of(ANY_TEXT, TRICKY))
def test_unescape_undoes_escape_exactly_once(text):
    cell = escape(text)
    assert unescape(cell) == text
    assert not cell.startswith(FORMULA)  # nothing a spreadsheet would run


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("'=1+1", "''=1+1"),
        ("'98口径", "''98口径"),
        ("-5", "'-5"),
        ("98口径", "98口径"),
        ("@SUM(A1)", "'@SUM(A1)"),
    ],
)
def test_the_rule_on_the_cases_that_used_to_disagree(text, cell):
    assert escape(text) == cell
    assert unescape(cell) == text


def test_a_hand_typed_apostrophe_is_kept():
    assert unescape("'98口径") == "'98口径"  # not something the rule writes
    assert unescape("'=1+1") == "=1+1"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(ANY_TEXT, TRICKY), min_size=1, max_size=6))
def test_csv_export_then_import_gives_back_every_string(cells):
    data = table_bytes(["列"] * len(cells), [cells], "csv")
    assert read_table("t.csv", data) == [["列"] * len(cells), cells]


XML_TRICKY = st.builds(lambda p, s: p + s, st.sampled_from(["'", "''", *FORMULA]), XML_TEXT)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(XML_TEXT, XML_TRICKY), min_size=1, max_size=6))
def test_xlsx_export_then_import_gives_back_every_string(cells):
    data = table_bytes(["列"] * len(cells), [cells], "xlsx")
    assert read_table("t.xlsx", data) == [["列"] * len(cells), cells]


def test_xlsx_cells_that_look_like_formulas_are_stored_as_text():
    from openpyxl import load_workbook

    data = table_bytes(["a", "b"], [["=1+1", "'=1+1"]], "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.data_type for c in sheet[2]] == ["s", "s"]
    assert [c.value for c in sheet[2]] == ["'=1+1", "''=1+1"]
    assert read_table("t.xlsx", data)[1] == ["=1+1", "'=1+1"]


def test_numbers_and_dates_stay_typed_and_read_back_as_text():
    import datetime as dt
    from decimal import Decimal

    row = [-5, Decimal("1.50"), dt.date(2024, 3, 15), True, None]
    for fmt in ("csv", "xlsx"):
        back = read_table(f"t.{fmt}", table_bytes(list("abcde"), [row], fmt))[1]
        assert back[:4] == ["-5", "1.5", "2024-03-15", "是"], fmt


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_holds_every_row(fmt):
    """No cap: 25,000 rows go out as 25,000 rows."""
    rows = ([f"第{i}行", i] for i in range(25_000))
    response = table_response("大表", ["名称", "序号"], rows, fmt)
    table = read_table(f"t.{fmt}", response.getvalue())
    assert len(table) == 25_001
    assert table[-1] == ["第24999行", "24999"]
    assert "filename*=UTF-8''%E5%A4%A7%E8%A1%A8-" in response["Content-Disposition"]


def test_a_broken_file_is_a_clear_error():
    from zimao.lib.tabular import TableError

    with pytest.raises(TableError, match="XLSX"):
        read_table("t.xlsx", b"PK\x03\x04junk")
    with pytest.raises(TableError, match="GB18030"):
        read_table("t.csv", b"\xff\xfe\x00\x81")


def test_a_large_download_is_built_on_disk_not_in_memory():
    """A 12 MB CSV is written with a few MB of memory at most."""
    import tracemalloc

    from zimao.lib.tabular import table_file

    rows = ([f"第{i}项制度创新", "做法说明" * 30, i] for i in range(30_000))
    tracemalloc.start()
    try:
        out = table_file(["标题", "做法", "序号"], rows, "csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    out.seek(0, io.SEEK_END)
    assert out.tell() > 10_000_000
    assert peak < 8_000_000
