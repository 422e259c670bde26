"""Helpers for files users download and open in a spreadsheet: CSV and XLSX with Chinese
headers, every text cell neutralised against formula injection."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
MAX_ROWS = 20000  # a download is a list, not a dump of the database
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """Return VALUE with text that a spreadsheet would run as a formula neutralised.

    Such text gets a leading single quote. Text that already starts with a quote gets one
    more, so `unsafe_cell` can always undo exactly this. Numbers are left alone: -5 is data.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "'")):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell` on a cell read back from a CSV export."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_PREFIXES, "'")):
        return text[1:]
    return text


def export_format(request: HttpRequest) -> str | None:
    """'csv' or 'xlsx' when the page was asked for a download (?format=…), else None."""
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    return safe_cell(str(value))


def table_response(
    name: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], fmt: str
) -> HttpResponse:
    """A CSV (UTF-8 with BOM, so Excel reads the Chinese) or XLSX download of the table."""
    stamp = timezone.localdate().isoformat()
    cleaned = ([_cell(v) for v in row] for _, row in zip(range(MAX_ROWS), rows, strict=False))
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=name[:31])
        sheet.append([str(h) for h in headers])
        for row in cleaned:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        extension = "xlsx"
    else:
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow([str(h) for h in headers])
        writer.writerows(cleaned)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        extension = "csv"
    filename = f"{name}-{stamp}.{extension}"
    ascii_name = f"zimao-{stamp}.{extension}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{_quote(filename)}"
    )
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)
