"""Read indicator observations from CSV or XLSX, check every cell, and preview before writing.

Problems are reported by row and column in Chinese. Nothing is written here: the rows of a
clean preview go to `services.observation_import`, which writes all of them or none.
"""

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from zimao.lib import tabular

from .models import Indicator, Observation
from .periods import PeriodError, parse_period
from .subjects import Catalogue, SubjectError, SubjectKindError, subject_for
from .units import UnitError, convert, needs_rate, normalise_unit

MAX_ROWS = 20000

# accepted header -> field; Chinese first, the English export names too
HEADERS: dict[str, str] = {
    "指标": "indicator",
    "指标代码": "indicator",
    "indicator": "indicator",
    "对象类型": "subject_kind",
    "subject_kind": "subject_kind",
    "对象": "subject",
    "subject": "subject",
    "时期": "period",
    "期间": "period",
    "period": "period",
    "数值": "value",
    "value": "value",
    "单位": "unit",
    "unit": "unit",
    "汇率": "exchange_rate",
    "exchange_rate": "exchange_rate",
    "汇率来源": "exchange_rate_source",
    "exchange_rate_source": "exchange_rate_source",
    "标记": "flags",
    "flags": "flags",
    "采用": "preferred",
    "preferred": "preferred",
    "采用理由": "reason",
    "reason": "reason",
    "来源": "source",
    "source": "source",
    "备注": "note",
    "note": "note",
    "自贸试验区个数": "zones_count",
    "zones_count": "zones_count",
    "数据性质": "provenance",
    "provenance": "provenance",
}
# columns the export adds for readers; ignored when the file comes back
INFORMATIONAL = {
    "指标名称",
    "indicator_name",
    "折算值",
    "折算单位",
    "converted_value",
    "converted_unit",
}
REQUIRED = ("indicator", "subject_kind", "period", "value", "source")
LABELS = {
    "indicator": "指标",
    "subject_kind": "对象类型",
    "subject": "对象",
    "period": "时期",
    "value": "数值",
    "unit": "单位",
    "exchange_rate": "汇率",
    "exchange_rate_source": "汇率来源",
    "flags": "标记",
    "preferred": "采用",
    "reason": "采用理由",
    "source": "来源",
    "note": "备注",
    "zones_count": "自贸试验区个数",
    "provenance": "数据性质",
}
# what a file may say about its figures; an office's file is "office" unless it says otherwise
# (official and derived stand only for a row already stored as such: see services)
PROVENANCE = {
    "官方": "official",
    "official": "official",
    "推算": "derived",
    "derived": "derived",
    "样例": "sample",
    "样例数据": "sample",
    "sample": "sample",
    "机构导入": "office",
    "报送": "office",
    "office": "office",
    "文档抽取": "extracted",
    "诉求记录计算": "computed",
    "computed": "computed",
    "extracted": "extracted",
}
# cells that mean "the value exists but is not known": kept as NULL with a flag, never 0
UNKNOWN = {
    "": "missing",
    "-": "missing",
    "—": "missing",
    "–": "missing",
    "／": "missing",
    "/": "missing",
    "…": "missing",
    "暂无": "missing",
    "未公布": "missing",
    "缺失": "missing",
    "NA": "missing",
    "N/A": "missing",
    "保密": "redacted",
    "涉密": "redacted",
    "脱敏": "redacted",
    "***": "redacted",
    "＊＊＊": "redacted",
    "不公开": "redacted",
}
FLAGS = {
    "estimated": "estimated",
    "估计": "estimated",
    "估算": "estimated",
    "约": "estimated",
    "more_than": "more_than",
    "余": "more_than",
    "以上": "more_than",
    "超过": "more_than",
    "nearly": "nearly",
    "近": "nearly",
    "接近": "nearly",
    "redacted": "redacted",
    "保密": "redacted",
    "脱敏": "redacted",
    "cumulative": "cumulative",
    "累计": "cumulative",
    "missing": "missing",
    "缺失": "missing",
}
YES = {"1", "是", "采用", "yes", "true", "y"}
NO = {"0", "否", "不采用", "no", "false", "n"}


@dataclass
class ObservationRow:
    """One checked row, in plain values (it is kept in the session between preview and
    confirmation)."""

    line: int
    indicator: str
    subject_kind: str
    subject: str
    subject_label: str
    period: str
    value: str | None  # in the indicator's unit; None = unknown
    unit: str
    original_value: str | None
    original_unit: str
    exchange_rate: str | None
    exchange_rate_source: str
    flags: str
    preferred: bool | None  # None: decided by what is already stored
    reason: str
    source: str
    note: str
    zones_count: int | None
    conversion: str = ""
    provenance: str = ""  # "": the stored row's, or "office" for a new one
    # The stored row's version when the file was checked (0: there was none; None: not known).
    # A row changed or created by someone else before the import is confirmed is a conflict.
    version: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.indicator, self.subject_kind, self.subject, self.period, self.source)

    @property
    def group(self) -> tuple[str, str, str, str]:
        return (self.indicator, self.subject_kind, self.subject, self.period)


@dataclass(frozen=True)
class CellError:
    line: int  # 0: the whole file
    column: str  # Chinese column label, "" for the whole row or file
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        if self.column:
            return _("第 %(line)s 行「%(column)s」列：%(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("第 %(line)s 行：%(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Preview:
    rows: list[ObservationRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. the columns that were ignored

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def read_table(name: str, data: bytes) -> list[list[str]]:
    """The cells of the first sheet of an .xlsx, or of a CSV (UTF-8 or GB18030), trimmed."""
    return [[c.strip() for c in row] for row in tabular.read_table(name, data)]


def _header(cells: list[str], errors: list[CellError], ignored: list[str]) -> list[str | None]:
    """Each column's field; columns of no field are left out and named in IGNORED."""
    fields: list[str | None] = []
    for cell in cells:
        name = cell.strip()
        if name in HEADERS:
            fields.append(HEADERS[name])
        elif name in INFORMATIONAL or not name:
            fields.append(None)
        else:
            ignored.append(name)
            fields.append(None)
    missing = [LABELS[f] for f in REQUIRED if f not in fields]
    if missing:
        errors.append(CellError(1, "", _("缺少必需的列：%(c)s") % {"c": "、".join(missing)}))
    return fields


def parse_observations(name: str, data: bytes) -> Preview:
    """Check a file row by row; return the rows, or every problem found with its place."""
    preview = Preview()
    try:
        table = [row for row in read_table(name, data) if any(c.strip() for c in row)]
    except tabular.TableError as exc:
        preview.errors.append(CellError(0, "", str(exc)))
        return preview
    if not table:
        preview.errors.append(CellError(0, "", _("文件是空的")))
        return preview
    ignored: list[str] = []
    fields = _header(table[0], preview.errors, ignored)
    if preview.errors:
        return preview
    if ignored:
        preview.notes.append(
            _("以下列不属于观测值，已忽略：%(cols)s") % {"cols": "、".join(ignored)}
        )
    if len(table) - 1 > MAX_ROWS:
        preview.errors.append(CellError(0, "", _("超过 %(n)s 行") % {"n": MAX_ROWS}))
        return preview
    checker = _RowChecker()
    for line, cells in enumerate(table[1:], start=2):
        raw = {f: (cells[i] if i < len(cells) else "") for i, f in enumerate(fields) if f}
        row = checker.check(line, raw, preview.errors)
        if row is not None:
            preview.rows.append(row)
    _check_duplicates(preview)
    _check_preferred(preview)
    if preview.ok:
        _stamp_versions(preview)
    return preview


def _stamp_versions(preview: Preview) -> None:
    """Note the version of each stored row the file would change (one query)."""
    stored = Observation.objects.filter(
        indicator__code__in={r.indicator for r in preview.rows},
        period__in={r.period for r in preview.rows},
    ).values_list("indicator__code", "subject_kind", "subject", "period", "source", "version")
    versions = {tuple(values[:5]): values[5] for values in stored}
    preview.rows = [replace(r, version=versions.get(r.key, 0)) for r in preview.rows]


class _RowChecker:
    def __init__(self) -> None:
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.by_name = {i.name_zh: i for i in self.indicators.values()}
        self.subjects: dict[tuple[str, str], Any] = {}
        self.catalogue: Catalogue | None = None

    def check(
        self, line: int, raw: dict[str, str], errors: list[CellError]
    ) -> ObservationRow | None:
        before = len(errors)

        def fail(column: str, message: str) -> None:
            errors.append(CellError(line, LABELS[column], message))

        indicator = self.indicators.get(raw.get("indicator", "")) or self.by_name.get(
            raw.get("indicator", "")
        )
        if indicator is None:
            fail("indicator", _("未知指标“%(code)s”") % {"code": raw.get("indicator", "")})
        subject = None
        try:
            key = (raw.get("subject_kind", ""), raw.get("subject", ""))
            if key not in self.subjects:
                if self.catalogue is None:
                    self.catalogue = Catalogue.load()
                self.subjects[key] = subject_for(*key, catalogue=self.catalogue)
            subject = self.subjects[key]
        except SubjectError as exc:
            fail("subject_kind" if isinstance(exc, SubjectKindError) else "subject", str(exc))
        period = ""
        try:
            period = parse_period(raw.get("period", "")).code
        except PeriodError as exc:
            fail("period", str(exc))
        if not raw.get("source"):
            fail("source", _("每行都须注明来源"))
        flags = _flags(raw.get("flags", ""), line, errors)
        value, unknown = _number(raw.get("value", ""), "value", line, errors)
        if unknown and not {"redacted", "missing"} & set(flags):
            flags.append(unknown)
        rate, rate_unknown = _number(raw.get("exchange_rate", ""), "exchange_rate", line, errors)
        preferred = _yes_no(raw.get("preferred", ""), line, errors)
        provenance = PROVENANCE.get(raw.get("provenance", "").strip() or "-")
        if provenance is None and raw.get("provenance", "").strip():
            fail("provenance", _("数据性质须为“样例”“机构导入”或“文档抽取”"))
        zones_count, _unknown = _number(raw.get("zones_count", ""), "zones_count", line, errors)
        unit = ""
        try:
            unit = normalise_unit(raw.get("unit", "") or (indicator.unit if indicator else ""))
        except UnitError as exc:
            fail("unit", str(exc))
        if len(errors) > before or indicator is None or subject is None:
            return None
        target = _target_unit(indicator.unit, unit)
        converted_value, conversion = value, ""
        if value is not None and unit:
            if (
                needs_rate(unit, target)
                and rate is not None
                and not raw.get("exchange_rate_source")
            ):
                fail("exchange_rate_source", _("给出汇率时须注明汇率来源"))
                return None
            try:
                result = convert(value, unit, target, rate)
            except UnitError as exc:
                fail("exchange_rate" if needs_rate(unit, target) else "unit", str(exc))
                return None
            converted_value, conversion = result.value, result.note
        return ObservationRow(
            line=line,
            indicator=indicator.code,
            subject_kind=subject.kind,
            subject=subject.key,
            subject_label=subject.label,
            period=period,
            value=_text(converted_value),
            unit=target or unit,
            original_value=_text(value) if conversion else None,
            original_unit=unit if conversion else "",
            exchange_rate=_text(rate) if rate is not None and needs_rate(unit, target) else None,
            exchange_rate_source=raw.get("exchange_rate_source", "") if rate is not None else "",
            flags=";".join(flags),
            preferred=preferred,
            reason=raw.get("reason", ""),
            source=raw["source"],
            note=raw.get("note", ""),
            zones_count=int(zones_count) if zones_count is not None else None,
            conversion=conversion,
            provenance=provenance or "",
        )


def _target_unit(indicator_unit: str, unit: str) -> str:
    """The unit to store: the indicator's, when the row's unit can be converted to it."""
    try:
        target = normalise_unit(indicator_unit)
    except UnitError:
        return unit
    return target or unit


def _text(number: Decimal | None) -> str | None:
    if number is None:
        return None
    return format(number.quantize(Decimal("0.0001")).normalize(), "f")


def _number(
    text: str, column: str, line: int, errors: list[CellError]
) -> tuple[Decimal | None, str]:
    """A number, or (None, flag) for a cell that says the value is unknown."""
    value = text.strip().replace(",", "").replace("，", "")
    if value in UNKNOWN or value.upper() in UNKNOWN:
        return None, UNKNOWN.get(value, UNKNOWN.get(value.upper(), "missing"))
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(
            CellError(
                line,
                LABELS[column],
                _("“%(text)s”不是数字（未知值请留空或写“保密”）") % {"text": text},
            )
        )
        return None, ""
    if not number.is_finite() or abs(number) >= Decimal("1e16"):
        errors.append(
            CellError(line, LABELS[column], _("“%(text)s”超出可接受的范围") % {"text": text})
        )
        return None, ""
    return number, ""


def _flags(text: str, line: int, errors: list[CellError]) -> list[str]:
    flags: list[str] = []
    for part in text.replace("；", ";").replace("、", ";").replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if part not in FLAGS:
            errors.append(
                CellError(
                    line,
                    "标记",
                    _("无法识别的标记“%(flag)s”（可填：估计、累计、保密、缺失）") % {"flag": part},
                )
            )
        elif FLAGS[part] not in flags:
            flags.append(FLAGS[part])
    return flags


def _yes_no(text: str, line: int, errors: list[CellError]) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    errors.append(CellError(line, "采用", _("“%(text)s”须为 是/否 或 1/0") % {"text": text}))
    return None


def _check_duplicates(preview: Preview) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for row in preview.rows:
        if row.key in seen:
            preview.errors.append(
                CellError(
                    row.line,
                    "",
                    _("与第 %(n)s 行重复（同一指标、对象、时期和来源）") % {"n": seen[row.key]},
                )
            )
        seen.setdefault(row.key, row.line)


def _check_preferred(preview: Preview) -> None:
    """Where sources disagree, one row is preferred and the choice has a stated reason."""
    groups: dict[tuple[str, ...], list[ObservationRow]] = {}
    for row in preview.rows:
        groups.setdefault(row.group, []).append(row)
    stored_preferred: dict[tuple[str, ...], set[str]] = {}
    if groups:  # one query for every group: the stored preferred rows of these indicators
        stored = Observation.objects.filter(
            indicator__code__in={r.indicator for r in preview.rows},
            period__in={r.period for r in preview.rows},
            preferred=True,
        ).values_list("indicator__code", "subject_kind", "subject", "period", "source")
        for code, kind, subject, period, source in stored:
            stored_preferred.setdefault((code, kind, subject, period), set()).add(source)
    for group, rows in groups.items():
        chosen = [r for r in rows if r.preferred]
        if len(chosen) > 1:
            preview.errors.append(
                CellError(
                    chosen[1].line,
                    "采用",
                    _("与第 %(n)s 行同为采用值，只能采用一个来源") % {"n": chosen[0].line},
                )
            )
            continue
        others_stored = stored_preferred.get(group, set[str]()) - {r.source for r in rows}
        others = len(rows) > 1 or bool(others_stored)
        if chosen and others and not chosen[0].reason:
            preview.errors.append(
                CellError(
                    chosen[0].line, "采用理由", _("已有其他来源的数值，改为采用本行须说明理由")
                )
            )


def rows_from_session(data: list[dict[str, Any]]) -> list[ObservationRow]:
    return [ObservationRow(**item) for item in data]
