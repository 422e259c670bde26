"""Import pilot tasks of a plan from CSV or XLSX: parse and validate everything, show a
preview, and only then write (all rows or none, each through the write path).

Headers and status words may be Chinese (编号, 任务内容, 领域, 责任单位, 状态, 片区; 未启动,
推进中, 已实施, 不适用) or the English codes. The preview remembers each existing task's
version, so a confirm after someone else changed one of them is refused, not merged.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, check
from zimao.audit import writes
from zimao.audit.services import acting_user
from zimao.vocab.models import Domain
from zimao.zones.models import Plan

from .models import PilotTask, TaskStatusChange

COLUMNS = ("number", "text", "domain", "responsible_units", "status", "area")
REQUIRED = ("number", "text")
HEADERS = {
    "number": ("number", "编号", "序号", "任务编号"),
    "text": ("text", "任务内容", "任务", "内容", "试点任务"),
    "domain": ("domain", "领域", "改革领域"),
    "responsible_units": ("responsible_units", "责任单位", "牵头单位"),
    "status": ("status", "状态", "进展状态"),
    "area": ("area", "片区"),
}
COLUMN_LABELS = {
    "number": "编号",
    "text": "任务内容",
    "domain": "领域",
    "responsible_units": "责任单位",
    "status": "状态",
    "area": "片区",
}
MAX_ROWS = 5000
TEMPLATE_ROWS = [
    ["编号", "任务内容", "领域", "责任单位", "状态", "片区"],
    ["1", "（示例）建立企业开办一窗通办机制", "政府职能转变", "市场监管局", "推进中", ""],
]


@dataclass
class Preview:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "第 3 行「状态」：…" or file-level

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _table(name: str, data: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ValueError(_("无法读取该 XLSX 工作簿，文件可能已损坏或并非 Excel 文件")) from exc
        if sheet is None:
            raise ValueError(_("工作簿中没有工作表"))
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise ValueError(_("CSV 文件的编码既不是 UTF-8 也不是 GB18030"))


def _column(header: str) -> str | None:
    cleaned = header.strip().lower()
    for column, names in HEADERS.items():
        if cleaned in names:
            return column
    return None


def _status(value: str) -> str | None:
    for code, label in PilotTask.Status.choices:
        if value in (code, str(label)):
            return code
    return None


def parse_tasks(name: str, data: bytes, plan: Plan | None = None) -> Preview:
    """Rows as dicts (codes resolved), or the problems found, each naming row and column."""
    preview = Preview()
    try:
        table = _table(name, data)
    except (ValueError, csv.Error) as exc:
        preview.errors.append(str(exc))
        return preview
    table = [row for row in table if any(row)]
    if not table:
        preview.errors.append(_("文件是空的"))
        return preview
    header = [_column(h) for h in table[0]]
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in header]
    unknown = [h for h, c in zip(table[0], header, strict=True) if h and c is None]
    if missing or unknown:
        preview.errors.append(
            _("第 1 行（表头）：缺少列 %(m)s；无法识别的列 %(u)s。可用列：%(all)s")
            % {
                "m": "、".join(missing) or "—",
                "u": "、".join(unknown) or "—",
                "all": "、".join(COLUMN_LABELS.values()),
            }
        )
        return preview
    if len(table) - 1 > MAX_ROWS:
        preview.errors.append(_("超过 %(n)s 行，请分批导入") % {"n": MAX_ROWS})
        return preview
    domains = {d.code: d.code for d in Domain.objects.all()}
    domains |= {d.name_zh: d.code for d in Domain.objects.all()}
    areas = set(plan.zone.areas.values_list("name_zh", flat=True)) if plan else set()
    existing = (
        dict(PilotTask.objects.filter(plan=plan).values_list("number", "version")) if plan else {}
    )
    seen: dict[str, int] = {}

    def problem(line: int, column: str, text: str) -> None:
        preview.errors.append(
            _("第 %(line)s 行「%(col)s」：%(text)s")
            % {"line": line, "col": COLUMN_LABELS[column], "text": text}
        )

    for line, cells in enumerate(table[1:], start=2):
        row: dict[str, Any] = {c: "" for c in COLUMNS}
        for index, column in enumerate(header):
            if column and index < len(cells):
                row[column] = cells[index]
        for column in REQUIRED:
            if not row[column]:
                problem(line, column, _("必填"))
        if len(row["number"]) > 20:
            problem(line, "number", _("不能超过 20 个字符"))
        if len(row["responsible_units"]) > 300:
            problem(line, "responsible_units", _("不能超过 300 个字符"))
        if row["domain"]:
            if row["domain"] not in domains:
                problem(line, "domain", _("未知的领域“%(v)s”") % {"v": row["domain"]})
            row["domain"] = domains.get(row["domain"], "")
        if row["status"]:
            code = _status(row["status"])
            if code is None:
                problem(
                    line,
                    "status",
                    _("未知的状态“%(v)s”，应为 未启动、推进中、已实施 或 不适用")
                    % {"v": row["status"]},
                )
            row["status"] = code or ""
        if row["area"] and plan is not None and row["area"] not in areas:
            problem(line, "area", _("“%(v)s”不是本试验区的片区") % {"v": row["area"]})
        if row["number"] in seen:
            problem(line, "number", _("与第 %(l)s 行编号重复") % {"l": seen[row["number"]]})
        seen.setdefault(row["number"], line)
        row["version"] = existing.get(row["number"])
        preview.rows.append(row)
    return preview


def tasks_import(*, user: Actor, plan: Plan, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Create or update the plan's tasks by number in one transaction; return (new, updated).

    Every row goes through the write path; a task changed since the preview raises
    EditConflict and nothing is written.
    """
    check(user, Action.CREATE, PilotTask(plan=plan))
    domains = {d.code: d for d in Domain.objects.all()}
    areas = {a.name_zh: a for a in plan.zone.areas.all()}
    current = {t.number: t for t in PilotTask.objects.filter(plan=plan)}
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            values: dict[str, Any] = {
                "area": areas.get(row.get("area", "")),
                "text": row["text"],
                "domain": domains.get(row["domain"]),
                "responsible_units": row["responsible_units"],
                "status": row["status"] or PilotTask.Status.NOT_STARTED,
            }
            task = current.get(row["number"])
            if task is None:
                if row.get("version") is not None:
                    raise writes.EditConflict({row["number"]: (row["version"], None)})
                writes.create(
                    user=user,
                    record=PilotTask(plan=plan, number=row["number"], **values),
                    fields=("number", "text", "domain", "responsible_units", "status", "area"),
                    audit_action="import",
                    then=_status_change(user, None),
                )
                created += 1
            else:
                writes.update(
                    user=user,
                    record=task,
                    changes=values,
                    fields=("text", "domain", "responsible_units", "status", "area"),
                    version=row.get("version") or 0,
                    audit_action="import",
                    then=_status_change(user, task.status),
                )
                updated += 1
    return created, updated


def _status_change(user: Actor, old_status: str | None) -> Callable[[PilotTask], None]:
    """The history row of a new status, written inside the task's own write."""

    def history(task: PilotTask) -> None:
        if task.status != old_status:
            TaskStatusChange.objects.create(
                task=task, status=task.status, at=timezone.now(), by=acting_user(user)
            )

    return history
