"""Observations in and out: preview with errors by row and column, unknown values kept as
unknown, conversions with their rate, conflicts kept with a preferred value and a reason."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from zimao.audit.models import AuditEvent
from zimao.indicators.exports import export_csv, export_xlsx
from zimao.indicators.imports import parse_observations
from zimao.indicators.models import Observation
from zimao.indicators.services import observation_import, observation_prefer

from .helpers import SAMPLE, area_office, import_sample, import_text, national

pytestmark = pytest.mark.django_db

HEADER = "指标,对象类型,对象,时期,数值,单位,汇率,汇率来源,采用,采用理由,来源\n"


def sample_rows():
    with SAMPLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_sample_file_imports_every_row_with_units_converted():
    rows = sample_rows()
    result = import_sample(national())
    assert result.created == len(rows)
    row = next(r for r in rows if r["指标"] == "fdi_actual" and r["汇率"])
    stored = Observation.objects.get(
        indicator__code="fdi_actual", subject=row["对象"], period=row["时期"].rstrip("年")
    )
    assert stored.unit == "亿元"
    assert stored.value == (Decimal(row["数值"]) * Decimal(row["汇率"])).quantize(Decimal("0.0001"))
    assert (stored.original_value, stored.original_unit) == (Decimal(row["数值"]), "亿美元")
    assert stored.exchange_rate_source == row["汇率来源"]
    wan = next(r for r in rows if r["单位"] == "万家")
    firms = Observation.objects.get(
        indicator__code="new_enterprises", subject=wan["对象"], period=wan["时期"]
    )
    assert firms.value == (Decimal(wan["数值"]) * 10000).quantize(Decimal("0.0001"))


def test_redacted_and_missing_values_stay_unknown_never_zero():
    import_sample(national())
    for row in sample_rows():
        if row["数值"] in ("保密", "—"):
            stored = Observation.objects.get(
                indicator__code=row["指标"], subject=row["对象"], period=row["时期"]
            )
            assert stored.value is None
            assert ("redacted" if row["数值"] == "保密" else "missing") in stored.flag_list


def test_a_second_import_of_the_same_file_changes_nothing():
    user = national()
    import_sample(user)
    events = AuditEvent.objects.count()
    again = import_sample(user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(sample_rows()))
    assert AuditEvent.objects.count() == events


def test_errors_are_reported_by_row_and_column_in_chinese():
    text = (
        HEADER
        + "trade_total,片区,南沙片区,2023年春,10,亿元,,,,,样例\n"
        + "no_such,片区,南沙片区,2023,10,亿元,,,,,样例\n"
        + "fdi_actual,片区,南沙片区,2023,10,亿美元,,,,,样例\n"
        + "trade_total,片区,不存在片区,2023,abc,万吨,,,,,\n"
    )
    preview = parse_observations("bad.csv", text.encode("utf-8"))
    messages = [str(e) for e in preview.errors]
    assert not preview.ok
    assert any(m.startswith("第 2 行「时期」列") for m in messages)
    assert any(m.startswith("第 3 行「指标」列") and "no_such" in m for m in messages)
    assert any(m.startswith("第 4 行「汇率」列") and "汇率" in m for m in messages)
    assert any(m.startswith("第 5 行「对象」列") for m in messages)
    assert any(m.startswith("第 5 行「数值」列") for m in messages)
    assert any(m.startswith("第 5 行「单位」列") for m in messages)
    assert any(m.startswith("第 5 行「来源」列") for m in messages)


def test_errors_read_in_english_when_the_page_is_in_english():
    with translation.override("en"):
        preview = parse_observations(
            "bad.csv", (HEADER + "trade_total,片区,南沙片区,2023,x,亿元,,,,,s\n").encode()
        )
        assert [str(e) for e in preview.errors] == [
            "Row 2, column “数值”: “x” is not a number (leave unknown values empty or write 保密)"
        ]


def test_english_headers_and_xlsx_are_accepted():
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "subject_kind", "subject", "period", "value", "unit", "source"])
    sheet.append(["trade_total", "area", "南沙片区", "2023Q2", 512.5, "亿元", "样例"])
    out = io.BytesIO()
    book.save(out)
    preview = parse_observations("x.xlsx", out.getvalue())
    assert preview.ok, [str(e) for e in preview.errors]
    assert (preview.rows[0].period, preview.rows[0].value) == ("2023-Q2", "512.5")


def test_two_sources_are_kept_and_a_change_of_preference_needs_a_reason():
    user = national()
    import_text(user, HEADER + "trade_total,片区,南沙片区,2031,100,亿元,,,,,来源甲\n")
    second = HEADER + "trade_total,片区,南沙片区,2031,120,亿元,,,是,,来源乙\n"
    refused = parse_observations("b.csv", second.encode("utf-8"))
    assert [str(e) for e in refused.errors] == [
        "第 2 行「采用理由」列：已有其他来源的数值，改为采用本行须说明理由"
    ]
    import_text(user, HEADER + "trade_total,片区,南沙片区,2031,120,亿元,,,是,统计局终核数,来源乙\n")
    rows = {o.source: o for o in Observation.objects.filter(subject="南沙片区", period="2031")}
    assert rows["来源乙"].preferred and rows["来源乙"].preferred_reason == "统计局终核数"
    assert not rows["来源甲"].preferred and "统计局终核数" in rows["来源甲"].preferred_reason
    observation_prefer(user=user, observation=rows["来源甲"], reason="终核数有误")
    rows["来源乙"].refresh_from_db()
    assert not rows["来源乙"].preferred and "终核数有误" in rows["来源乙"].preferred_reason


def test_an_area_office_imports_only_its_own_area():
    office = area_office("南沙片区")
    import_text(office, HEADER + "trade_total,片区,南沙片区,2031,100,亿元,,,,,来源甲\n")
    preview = parse_observations(
        "b.csv",
        (
            HEADER + "trade_total,片区,南沙片区,2032,1,亿元,,,,,来源甲\n"
            "trade_total,片区,横琴片区,2032,1,亿元,,,,,来源甲\n"
        ).encode("utf-8"),
    )
    with pytest.raises(PermissionDenied):
        observation_import(user=office, rows=preview.rows)
    assert not Observation.objects.filter(period="2032").exists()  # all rows or none


def test_the_export_comes_back_unchanged_and_neutralises_formulas():
    user = national()
    import_sample(user)
    import_text(user, HEADER + "trade_total,片区,南沙片区,2031,100,亿元,,,,,=HYPERLINK(1)\n")
    observations = Observation.objects.filter(subject_kind="area").select_related("indicator")
    csv_bytes = export_csv(observations)
    assert "'=HYPERLINK(1)" in csv_bytes.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(export_xlsx(observations)))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells
    for name, data in (("back.csv", csv_bytes), ("back.xlsx", export_xlsx(observations))):
        preview = parse_observations(name, data)
        assert preview.ok, [str(e) for e in preview.errors][:3]
        result = observation_import(user=user, rows=preview.rows, filename=name)
        assert (result.created, result.updated) == (0, 0)


def test_apostrophes_and_formulas_survive_export_and_import():
    """=1+1 and '=1+1 stay two different texts; a note starting with ' keeps it."""
    user = national()
    header = "指标,对象类型,对象,时期,数值,单位,来源,备注\n"
    text = (
        header
        + "trade_total,片区,南沙片区,2031,1,亿元,'=1+1,'98口径调整\n"  # as the export escapes =1+1
        + "trade_total,片区,南沙片区,2032,2,亿元,''=1+1,\n"  # … and '=1+1
    )
    import_text(user, text)
    stored = Observation.objects.filter(period__in=["2031", "2032"]).select_related("indicator")
    assert sorted(stored.values_list("period", "source", "note")) == [
        ("2031", "=1+1", "'98口径调整"),
        ("2032", "'=1+1", ""),
    ]
    for name, data in (("b.csv", export_csv(stored)), ("b.xlsx", export_xlsx(stored))):
        preview = parse_observations(name, data)
        assert sorted((r.period, r.source, r.note) for r in preview.rows) == [
            ("2031", "=1+1", "'98口径调整"),
            ("2032", "'=1+1", ""),
        ]
        result = observation_import(user=user, rows=preview.rows, filename=name)
        assert (result.created, result.updated) == (0, 0)


def test_the_command_checks_then_writes(capsys):
    call_command("import_observations", str(SAMPLE), "--dry-run")
    assert "试运行" in capsys.readouterr().out
    assert not Observation.objects.filter(source__startswith="样例数据").exists()
    call_command("import_observations", str(SAMPLE))
    assert Observation.objects.filter(source__startswith="样例数据").count() == len(sample_rows())


def _many_rows(count: int) -> bytes:
    """COUNT rows, each a different area and year (so a different group), in one file."""
    from zimao.zones.models import Area

    areas = sorted(Area.objects.values_list("name_zh", flat=True))
    lines = [HEADER]
    for i in range(count):
        area, year = areas[i % len(areas)], 1980 + i // len(areas)
        lines.append(f"trade_total,片区,{area},{year},{i},亿元,,,是,,样例\n")
    return "".join(lines).encode("utf-8")


def test_the_preview_costs_the_same_queries_for_10_and_1000_rows(django_assert_max_num_queries):
    """Lookups are fetched once per file, not per row; the checks still see stored rows."""
    from zimao.zones.models import Area

    import_text(national(), HEADER + "trade_total,片区,南沙片区,1980,5,亿元,,,是,,旧来源\n")
    line = sorted(Area.objects.values_list("name_zh", flat=True)).index("南沙片区") + 2
    for count in (10, 1000):
        data = _many_rows(count)
        with django_assert_max_num_queries(12):
            preview = parse_observations("many.csv", data)
        # every row is fine but one: 南沙片区 1980 already has another preferred source
        assert [(e.line, e.column) for e in preview.errors] == (
            [(line, "采用理由")] if line <= count + 1 else []
        )
        assert len(preview.rows) == count


def test_the_export_costs_the_same_queries_for_few_and_many_rows(
    client, django_assert_max_num_queries
):
    """Subject names come from zones and areas fetched once, not a query per row."""
    user = national()
    counts = []
    for count in (10, 150):
        Observation.objects.filter(source="样例").delete()
        import_text(user, _many_rows(count).decode("utf-8"))
        with django_assert_max_num_queries(15) as queries:
            response = client.get("/indicators/export/", {"format": "xlsx"})
            data = response.getvalue()
        counts.append(len(queries.captured_queries))
        back = parse_observations("back.xlsx", data)
        assert len([r for r in back.rows if r.source == "样例"]) == count
    assert counts[0] == counts[1]


def test_an_extra_column_is_ignored_with_a_note():
    text = (
        "指标,对象类型,对象,时期,数值,单位,来源,填报人\n"
        "trade_total,片区,南沙片区,2031,1,亿元,样例,小王\n"
    )
    preview = parse_observations("x.csv", text.encode("utf-8"))
    assert preview.ok, [str(e) for e in preview.errors]
    assert preview.notes == ["以下列不属于观测值，已忽略：填报人"]
    missing = parse_observations("x.csv", "指标,对象,填报人\nx,y,z\n".encode())
    assert not missing.ok and "缺少必需的列" in str(missing.errors[0])
