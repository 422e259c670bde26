"""Observations out, in the layout the import reads (so an exported file can come back in).

The value is written as the source gave it (original value and unit, with the exchange rate
and its source), and the converted value beside it for readers. Text cells that a
spreadsheet would run as a formula (=, +, -, @, tab, CR) are prefixed with an apostrophe.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from .models import Observation
from .periods import period_label

HEADER = [
    "指标", "指标名称", "对象类型", "对象", "时期", "数值", "单位", "汇率", "汇率来源",
    "折算值", "折算单位", "采用", "采用理由", "标记", "来源", "备注",
]  # fmt: skip
FLAG_NAMES = {
    "estimated": "估计",
    "more_than": "以上（下限）",
    "nearly": "近（上限）",
    "redacted": "保密",
    "cumulative": "累计",
    "missing": "缺失",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Keep a spreadsheet from evaluating the cell: '=1+1 stays text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _plain(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def subject_name(observation: Observation) -> str:
    """The subject as people write it (湖北自贸试验区, not hubei); the importer reads it back."""
    from .subjects import SubjectError, subject_for

    try:
        return subject_for(observation.subject_kind, observation.subject).label
    except SubjectError:
        return observation.subject


def rows_of(observations: Iterable[Observation]) -> list[list[object]]:
    rows: list[list[object]] = []
    for o in observations:
        original = o.original_value if o.original_unit else o.value
        flags = "、".join(FLAG_NAMES.get(f, f) for f in o.flag_list)
        rows.append(
            [
                o.indicator.code,
                o.indicator.name_zh,
                o.get_subject_kind_display(),
                subject_name(o),
                o.period,
                original,
                o.original_unit or o.unit,
                o.exchange_rate,
                o.exchange_rate_source,
                o.value,
                o.unit,
                "是" if o.preferred else "否",
                o.preferred_reason,
                flags,
                o.source,
                o.note,
            ]
        )
    return rows


def export_csv(observations: Iterable[Observation]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows_of(observations):
        writer.writerow(
            [_plain(c) if isinstance(c, Decimal) or c is None else neutralise(str(c)) for c in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def export_xlsx(observations: Iterable[Observation]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "观测值"
    sheet.append(HEADER)
    for row in rows_of(observations):
        cells: list[object] = []
        for c in row:
            if isinstance(c, Decimal) or c is None:
                cells.append(_number(c) if isinstance(c, Decimal) else None)
            else:
                cells.append(neutralise(str(c)))
        sheet.append(cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["export_csv", "export_xlsx", "neutralise", "period_label"]
