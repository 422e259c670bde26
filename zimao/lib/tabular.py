"""Every CSV and XLSX Zimao reads or writes goes through here, under one formula-escape rule.

A spreadsheet runs text that starts with = + - @ tab or CR as a formula, so such text is written
with a leading apostrophe; text that already starts with an apostrophe gets one more. On the way
back in, one apostrophe is removed only where the rule would have put it (the rest of the cell
starts with one of those characters or an apostrophe). So `unescape(escape(s)) == s` for every
string: a file exported and imported again comes back exactly, and a hand-typed `'98口径` stays
as typed.

Files are built in a temporary file (rows streamed into it, XLSX in openpyxl's write-only mode),
so memory stays bounded whatever the number of rows; nothing is cut off.
"""

import csv
import datetime as dt
import difflib
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 4 * 1024 * 1024  # larger files go to disk while they are built
# characters XML 1.0 cannot hold at all (an XLSX is XML); they are left out of XLSX cells
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why, in Chinese."""


# --- the escape rule -------------------------------------------------------------------------


def escape(text: str) -> str:
    """TEXT as a spreadsheet cell that is never run as a formula."""
    if text.startswith((*FORMULA_PREFIXES, QUOTE)):
        return QUOTE + text
    return text


def unescape(text: str) -> str:
    """Undo `escape` exactly once; any other text is returned unchanged."""
    if text.startswith(QUOTE) and text[1:].startswith((*FORMULA_PREFIXES, QUOTE)):
        return text[1:]
    return text


# --- writing ---------------------------------------------------------------------------------


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def csv_cell(value: Any) -> str:
    """A value as CSV text: numbers and dates as such, booleans 是/否, text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return _plain_number(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape(str(value))


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell: numbers and dates typed, text escaped and XML-safe."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    return escape(_XML_ILLEGAL.sub("", str(value)))


def write_csv(out: IO[bytes], headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """Write UTF-8 CSV with a BOM (so Excel reads the Chinese); return the number of rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([csv_cell(str(h)) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        count += 1
    text.flush()
    text.detach()  # leave OUT open for the caller
    return count


def write_xlsx(
    out: IO[bytes], headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str
) -> int:
    """Write one sheet in openpyxl's write-only mode (rows go to disk as they come)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    head = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(str(h)))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    count = 0
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
        count += 1
    book.save(out)
    return count


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\\/*?:\[\]]", " ", title).strip() or "Sheet"
    return cleaned[:31]


def table_file(
    headers: Sequence[Any], rows: Iterable[Sequence[Any]], fmt: str, title: str = "Sheet"
) -> IO[bytes]:
    """The whole table as a CSV or XLSX file object positioned at its start."""
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    if fmt == "xlsx":
        write_xlsx(out, headers, rows, title)
    else:
        write_csv(out, headers, rows)
    out.seek(0)
    return out


def table_bytes(
    headers: Sequence[Any], rows: Iterable[Sequence[Any]], fmt: str, title: str = "Sheet"
) -> bytes:
    """The whole table as bytes (for small files: templates, tests, jobs)."""
    with table_file(headers, rows, fmt, title) as out:
        return out.read()


def export_format(request: HttpRequest) -> str | None:
    """'csv' or 'xlsx' when the page was asked for a download (?format=…), else None."""
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def table_response(
    name: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], fmt: str
) -> FileResponse:
    """A download of every row of the table, streamed from a temporary file."""
    stamp = timezone.localdate().isoformat()
    extension = "xlsx" if fmt == "xlsx" else "csv"
    out = table_file(headers, rows, extension, title=name)
    content_type = XLSX if extension == "xlsx" else "text/csv; charset=utf-8"
    response = FileResponse(out, content_type=content_type)
    filename = f"{name}-{stamp}.{extension}"
    ascii_name = f"zimao-{stamp}.{extension}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


# --- reading ---------------------------------------------------------------------------------


def read_cell(value: object) -> str:
    """A cell read back as text, escape undone; whole numbers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return unescape(value)
    return str(value)


def read_table(name: str, data: bytes) -> list[list[str]]:
    """The cells of the first sheet of an .xlsx, or of a CSV (UTF-8 or GB18030), as text with
    the formula escape undone. Cells are not trimmed: the caller decides what spaces mean."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("CSV 文件既不是 UTF-8 也不是 GB18030 编码"))
    try:
        return [[unescape(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise TableError(_("CSV 文件格式有误：%(e)s") % {"e": exc}) from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise TableError(_("工作簿中没有工作表"))
        rows = [[read_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise TableError(_("无法读取该 XLSX 工作簿，文件可能已损坏或并非 Excel 文件")) from exc
    return rows


def header_index(header: Sequence[str], names: dict[str, str]) -> list[str | None]:
    """Each header cell's field (NAMES maps accepted, trimmed, lower-cased names to fields)."""
    return [names.get(h.strip().lower()) for h in header]


# --- names people write -----------------------------------------------------------------------


class Names:
    """Records by the names people write for them in a file: exact (name, code), then a unique
    name that contains the text or is contained in it (天府新区片区 → 成都天府新区片区,
    贸易便利 → 贸易便利化); otherwise close names to suggest."""

    def __init__(self, named: dict[str, Any]) -> None:
        self.named = named

    def find(self, text: str) -> tuple[Any | None, list[str]]:
        """(record, []) when found; (None, suggestions) when not."""
        if text in self.named:
            return self.named[text], []
        folded = text.lower()
        for name, record in self.named.items():
            if name.lower() == folded:
                return record, []
        core = name_core(text)
        near = {
            r
            for name, r in self.named.items()
            if len(core) >= 2 and (text in name or name in text or core in name)
        }

        if len(near) == 1:
            return near.pop(), []
        if near:
            return None, sorted(n for n, r in self.named.items() if r in near and not n.isascii())
        cores = {name_core(n): n for n in self.named if n and not n.isascii()}
        close = difflib.get_close_matches(name_core(text), list(cores), n=3, cutoff=0.5)
        return None, [cores[c] for c in close]


def name_core(name: str) -> str:
    """A name without the suffix every name of its kind shares (南沙片区 → 南沙)."""
    for suffix in ("片区", "化"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def suggest(options: list[str]) -> str:
    return _("，是否指：%(names)s") % {"names": "、".join(options)} if options else ""


# --- the preview of a round-trip import (tasks, adoptions) -----------------------------------

NEW, UPDATED, UNCHANGED, CONFLICT = "new", "updated", "unchanged", "conflict"
ACTION_LABELS = {NEW: "新增", UPDATED: "更新", UNCHANGED: "不变", CONFLICT: "冲突"}


@dataclass
class Preview:
    """What an imported file would do. Each row (kept in the session until the confirm) is a
    dict with at least its line and action (new, updated, unchanged or in conflict with the
    version exported); errors are "第 3 行「状态」：…" or about the whole file, notes say what was
    ignored (extra columns, say)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r["action"] == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in (NEW, UPDATED, UNCHANGED, CONFLICT)}

    @property
    def changing(self) -> int:
        return self.count(NEW) + self.count(UPDATED)


UPLOAD_BYTES = 5 * 1024 * 1024
SHOWN_ROWS = 1000


def preview_upload(
    request: HttpRequest, key: str, parse: Callable[[str, bytes], Preview], default_name: str
) -> Preview | None:
    """The preview of the posted file (None when none was posted). A clean preview's rows wait
    in the session under `key` for the confirm; a faulty one drops what an earlier upload left,
    so the confirm can only write a file that was shown clean."""
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is None:
        return None
    if upload.size is not None and upload.size > UPLOAD_BYTES:
        preview = Preview(errors=[_("文件超过 5 MB")])
    else:
        preview = parse(upload.name or default_name, upload.read())
    if preview.ok:
        request.session[key] = preview.rows
    else:
        request.session.pop(key, None)
    return preview


def preview_rows(preview: Preview | None) -> list[dict[str, Any]]:
    """The rows the page shows (the first thousand), each with its action's label."""
    rows = preview.rows[:SHOWN_ROWS] if preview else []
    return [{**row, "label": ACTION_LABELS[row["action"]]} for row in rows]
