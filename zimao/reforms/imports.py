"""A plan's pilot tasks out to Excel and back: the task list a zone office downloads, fills in
(progress, evidence) and uploads again.

The file is read in full and compared with the plan as it stands: each row is new, updated
(with each changed field, old → new), unchanged, or a conflict (the task was changed after the
file was exported, by its 版本 column). Nothing is written until the office confirms; then every
new or updated row goes through the write path in one transaction (all or nothing, audited and
versioned), and a task changed since the preview refuses the whole import.

Headers, status words, area and domain names are matched the way people write them: Chinese or
English, short names (天府新区片区, 贸易便利) and common synonyms (已完成, 进行中), with
suggestions when nothing matches. Columns Zimao does not know are ignored, with a note.
"""

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, check
from zimao.audit import writes
from zimao.audit.services import acting_user
from zimao.lib import tabular
from zimao.lib.forms import parse_partial_date
from zimao.lib.tabular import CONFLICT, NEW, UNCHANGED, UPDATED, Preview
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Plan

from .models import PilotTask, ResponsibleUnit, TaskStatusChange
from .services import evidence_missing

# The columns, in the order the export writes them.
COLUMNS = (
    "number",
    "text",
    "domain",
    "area",
    "units",
    "due_date",
    "status",
    "evidence",
    "version",
)
COLUMN_LABELS = {
    "number": "编号",
    "text": "任务内容",
    "domain": "领域",
    "area": "片区",
    "units": "责任单位",
    "due_date": "完成时限",
    "status": "状态",
    "evidence": "进展与佐证",
    "version": "版本",
}
HEADERS = {
    "number": ("number", "编号", "序号", "任务编号"),
    "text": ("text", "任务内容", "任务", "内容", "试点任务"),
    "domain": ("domain", "领域", "改革领域"),
    "area": ("area", "片区"),
    "units": ("units", "responsible_units", "责任单位", "牵头单位", "责任部门"),
    "due_date": ("due_date", "完成时限", "完成时间", "时限", "截止日期", "完成期限"),
    "status": ("status", "状态", "进展状态", "完成状态", "实施状态"),
    "evidence": (
        "evidence",
        "进展与佐证",
        "佐证",
        "进展",
        "进展情况",
        "佐证材料",
        "工作进展",
        "完成情况",
    ),
    "version": ("version", "版本"),
}
HEADER_NAMES = {name.lower(): column for column, names in HEADERS.items() for name in names}
# what a task row writes; the version column is only read
FIELDS = ("text", "domain", "area", "units", "due_date", "status", "evidence")
# several units in one cell: 商务局、市场监管局
UNIT_SEPARATORS = re.compile(r"[、，,；;\n]+")
STATUS_WORDS = {
    PilotTask.Status.NOT_STARTED: ("未启动", "未开始", "尚未启动", "尚未开始", "not_started"),
    PilotTask.Status.IN_PROGRESS: (
        "推进中",
        "进行中",
        "实施中",
        "正在推进",
        "正在实施",
        "部分完成",
        "in_progress",
    ),
    PilotTask.Status.IMPLEMENTED: (
        "已实施",
        "已完成",
        "完成",
        "已落实",
        "已落地",
        "已办结",
        "implemented",
    ),
    PilotTask.Status.NOT_APPLICABLE: ("不适用", "不涉及", "not_applicable"),
}
STATUS_NAMES = {word: code for code, words in STATUS_WORDS.items() for word in words}
MAX_ROWS = 5000
TEMPLATE_ROWS = [
    [COLUMN_LABELS[c] for c in COLUMNS if c != "version"],
    [
        "1",
        "（示例）建立企业开办一窗通办机制",
        "政府职能转变",
        "",
        "市场监管局",
        "2026-12-31",
        "推进中",
        "",
    ],
]


# --- out -------------------------------------------------------------------------------------


def export_headers() -> list[str]:
    return [COLUMN_LABELS[c] for c in COLUMNS]


def task_rows(tasks: Iterable[PilotTask]) -> Iterator[list[object]]:
    """The rows of the task list download, in the columns the import reads back."""
    for t in tasks:
        yield [
            t.number,
            t.text,
            t.domain.name_zh if t.domain else "",
            t.area.name_zh if t.area else "",
            units_text(t.units.all()),
            t.due_date.isoformat() if t.due_date else "",
            str(t.get_status_display()),
            t.evidence,
            t.version,
        ]


def units_text(units: Iterable[ResponsibleUnit]) -> str:
    """A task's units as one cell, in name order: 商务局、市场监管局."""
    return "、".join(sorted(u.name for u in units))


# --- matching names --------------------------------------------------------------------------


def _status(text: str) -> str | None:
    code = STATUS_NAMES.get(text) or STATUS_NAMES.get(text.lower())
    if code is None:
        for code_value, label in PilotTask.Status.choices:
            if text == str(label):
                return str(code_value)
    return str(code) if code else None


# --- in --------------------------------------------------------------------------------------


def parse_tasks(name: str, data: bytes, plan: Plan) -> Preview:
    """Compare the file with the plan's tasks: every row's action and changes, or every
    problem found, each naming its row and column. Costs the same few queries for any size."""
    preview = Preview()
    try:
        table = tabular.read_table(name, data)
    except tabular.TableError as exc:
        preview.errors.append(str(exc))
        return preview
    table = [row for row in table if any(c.strip() for c in row)]
    if not table:
        preview.errors.append(_("文件是空的"))
        return preview
    header = [HEADER_NAMES.get(h.strip().lower()) for h in table[0]]
    ignored = [h.strip() for h, c in zip(table[0], header, strict=True) if h.strip() and c is None]
    seen_columns: set[str] = set()
    for index, column in enumerate(header):
        if column in seen_columns:
            header[index] = None  # a second column of the same meaning is left out
            ignored.append(table[0][index].strip())
        elif column:
            seen_columns.add(column)
    if "number" not in header:
        preview.errors.append(
            _("第 1 行（表头）：缺少“编号”列。可用列：%(all)s")
            % {"all": "、".join(COLUMN_LABELS.values())}
        )
        return preview
    if ignored:
        preview.notes.append(
            _("以下列不属于试点任务，已忽略：%(cols)s") % {"cols": "、".join(ignored)}
        )
    if len(table) - 1 > MAX_ROWS:
        preview.errors.append(_("超过 %(n)s 行，请分批导入") % {"n": MAX_ROWS})
        return preview
    _Checker(plan, header, preview).check(table[1:])
    return preview


class _Checker:
    def __init__(self, plan: Plan, header: list[str | None], preview: Preview) -> None:
        self.header, self.preview = header, preview
        domains = list(Domain.objects.all())
        self.domains = tabular.Names(
            {d.name_zh: d for d in domains}
            | {d.code: d for d in domains}
            | {d.name_en: d for d in domains if d.name_en}
        )
        areas = list(Area.objects.filter(zone_id=plan.zone_id))
        self.areas = tabular.Names({a.name_zh: a for a in areas})
        self.units = tabular.Names(
            {u.name: u for u in ResponsibleUnit.objects.filter(zone_id=plan.zone_id)}
        )
        self.current = {
            t.number.strip(): t
            for t in PilotTask.objects.filter(plan=plan)
            .select_related("domain", "area")
            .prefetch_related("units")
        }

    def problem(self, line: int, column: str, text: str) -> None:
        self.preview.errors.append(
            _("第 %(line)s 行「%(col)s」：%(text)s")
            % {"line": line, "col": COLUMN_LABELS[column], "text": text}
        )

    def check(self, rows: list[list[str]]) -> None:
        seen: dict[str, int] = {}
        for line, cells in enumerate(rows, start=2):
            raw = {
                column: cells[index] if index < len(cells) else ""
                for index, column in enumerate(self.header)
                if column
            }
            number = raw["number"].strip()
            if not number:
                self.problem(line, "number", _("必填"))
                continue
            if len(number) > 20:
                self.problem(line, "number", _("不能超过 20 个字符"))
            if number in seen:
                self.problem(line, "number", _("与第 %(l)s 行编号重复") % {"l": seen[number]})
                continue
            seen[number] = line
            row = self.row(line, number, raw)
            if row is not None:
                self.preview.rows.append(row)

    def row(self, line: int, number: str, raw: dict[str, str]) -> dict[str, Any] | None:
        before = len(self.preview.errors)
        task = self.current.get(number)
        values: dict[str, Any] = {}
        if "text" in raw:
            if raw["text"].strip():
                values["text"] = raw["text"]
            elif task is None:
                self.problem(line, "text", _("必填"))
        elif task is None:
            self.problem(line, "text", _("新任务须填写任务内容"))
        if "domain" in raw:
            values["domain"] = self.lookup(line, "domain", raw["domain"].strip(), self.domains)
        if "area" in raw:
            values["area"] = self.lookup(line, "area", raw["area"].strip(), self.areas)
        if "units" in raw:
            values["units"] = self.unit_list(line, raw["units"])
        if "due_date" in raw:
            values["due_date"] = self.due_date(line, raw["due_date"].strip())
        status = raw.get("status", "").strip()
        if status:
            code = _status(status)
            if code is None:
                words = [w for w in STATUS_NAMES if not w.isascii()]
                options = difflib.get_close_matches(status, words, n=3, cutoff=0.3)
                self.problem(
                    line,
                    "status",
                    _("未知的状态“%(v)s”，应为 未启动、推进中、已实施 或 不适用") % {"v": status}
                    + tabular.suggest(options),
                )
            values["status"] = code
        elif task is None:
            values["status"] = PilotTask.Status.NOT_STARTED
        if "evidence" in raw:
            values["evidence"] = raw["evidence"]
        seen_version = self.version(line, raw.get("version", "").strip())
        if len(self.preview.errors) > before:
            return None
        return self.compare(line, number, task, values, seen_version)

    def lookup(self, line: int, column: str, text: str, names: tabular.Names) -> Any:
        if not text:
            return None
        record, options = names.find(text)
        if record is None:
            message = (
                _("未知的领域“%(v)s”") if column == "domain" else _("“%(v)s”不是本试验区的片区")
            )
            self.problem(line, column, message % {"v": text} + tabular.suggest(options))
        return record

    def unit_list(self, line: int, text: str) -> list[ResponsibleUnit]:
        """The units a cell names, each matched in the zone's catalogue (short names too)."""
        found: dict[int, ResponsibleUnit] = {}
        for name in UNIT_SEPARATORS.split(text):
            name = name.strip()
            if not name:
                continue
            unit, options = self.units.find(name)
            if unit is None:
                self.problem(
                    line,
                    "units",
                    _("“%(v)s”不在本试验区的责任单位名录中") % {"v": name}
                    + tabular.suggest(options),
                )
            else:
                found[unit.pk] = unit
        return sorted(found.values(), key=lambda u: u.name)

    def due_date(self, line: int, text: str) -> date | None:
        if not text:
            return None
        try:
            iso = parse_partial_date(text[:40])
        except ValidationError as exc:
            self.problem(line, "due_date", "；".join(exc.messages))
            return None
        if len(iso) != 10:
            self.problem(line, "due_date", _("请填写完整的年月日，如 2025-12-31"))
            return None
        return date.fromisoformat(iso)

    def version(self, line: int, text: str) -> int | None:
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            self.problem(line, "version", _("应为导出时的版本号（整数），或留空"))
            return None

    def compare(
        self,
        line: int,
        number: str,
        task: PilotTask | None,
        values: dict[str, Any],
        seen_version: int | None,
    ) -> dict[str, Any]:
        stored = {k: _plain(k, v) for k, v in values.items()}
        if task is None:
            changes = [[COLUMN_LABELS[k], "", _shown(k, v)] for k, v in values.items() if v]
            action = NEW
        else:
            changes = [
                [COLUMN_LABELS[k], _shown(k, _value(task, k)), _shown(k, v)]
                for k, v in values.items()
                if _plain(k, _value(task, k)) != stored[k]
            ]
            stored = {k: v for k, v in stored.items() if _plain(k, _value(task, k)) != v}
            action = UPDATED if changes else UNCHANGED
            if changes and seen_version is not None and seen_version != task.version:
                action = CONFLICT
                self.preview.errors.append(
                    _(
                        "第 %(line)s 行：任务 %(number)s 在文件导出后已被修改"
                        "（文件版本 %(mine)s，当前版本 %(now)s），请重新导出后再填写"
                    )
                    % {"line": line, "number": number, "mine": seen_version, "now": task.version}
                )
        status = values.get("status") or (task.status if task else "")
        evidence = values.get("evidence", task.evidence if task else "")
        missing = evidence_missing(status, evidence, task) if action != UNCHANGED else None
        if missing:  # 已实施 needs evidence: the row is shown, with the reason, and not written
            action = CONFLICT
            self.preview.errors.append(
                _("第 %(line)s 行：任务 %(number)s %(reason)s")
                % {"line": line, "number": number, "reason": missing}
            )
        return {
            "line": line,
            "number": number,
            "action": action,
            "version": task.version if task else None,
            "values": stored,
            "changes": changes,
            "status": _shown("status", values.get("status") or (task.status if task else "")),
        }


def _value(task: PilotTask, column: str) -> Any:
    if column == "units":
        return list(task.units.all())
    return getattr(task, column)


def _plain(column: str, value: Any) -> Any:
    """A field value as it is kept in the session and compared: records by id, units as
    their sorted ids, dates as ISO text."""
    if column in ("domain", "area"):
        return value.pk if value is not None else None
    if column == "units":
        return sorted(u.pk for u in value)
    if column == "due_date":
        return value.isoformat() if value else None
    if column == "status":
        return str(value) if value else ""
    return value


def _shown(column: str, value: Any) -> str:
    if column in ("domain", "area"):
        return value.name_zh if value is not None else ""
    if column == "units":
        return units_text(value)
    if column == "due_date":
        return value.isoformat() if value else ""
    if column == "status":
        return str(PilotTask.Status(value).label) if value else ""
    return "" if value is None else str(value)


def tasks_import(*, user: Actor, plan: Plan, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Apply the previewed rows in one transaction through the write path; return (new,
    updated). A task created or changed since the preview raises EditConflict and nothing is
    written."""
    check(user, Action.CREATE, PilotTask(plan=plan))
    domains = {d.pk: d for d in Domain.objects.all()}
    areas = {a.pk: a for a in Area.objects.filter(zone_id=plan.zone_id)}
    units = {u.pk: u for u in ResponsibleUnit.objects.filter(zone_id=plan.zone_id)}
    current = {t.number.strip(): t for t in PilotTask.objects.filter(plan=plan)}
    created = updated = 0

    def resolved(values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        if "domain" in out:
            out["domain"] = domains.get(out["domain"]) if out["domain"] else None
        if "area" in out:
            out["area"] = areas.get(out["area"]) if out["area"] else None
        if "units" in out:
            out["units"] = [units[pk] for pk in out["units"] if pk in units]
        if "due_date" in out:
            out["due_date"] = date.fromisoformat(out["due_date"]) if out["due_date"] else None
        return out

    with transaction.atomic():
        for row in rows:
            if row["action"] not in (NEW, UPDATED):
                continue
            task = current.get(row["number"])
            values = resolved(row["values"])
            shown = task if row["action"] == UPDATED else None
            missing = evidence_missing(
                values.get("status", shown.status if shown else ""),
                values.get("evidence", shown.evidence if shown else ""),
                shown,
            )
            if missing:  # the file changed since its preview: nothing is written
                raise ValidationError(f"{row['number']}：{missing}")
            if row["action"] == NEW:
                if task is not None:
                    raise writes.EditConflict({row["number"]: (None, task.version)}, PilotTask)
                chosen = values.pop("units", [])
                writes.create(
                    user=user,
                    record=PilotTask(plan=plan, number=row["number"], **values),
                    fields=("number", *FIELDS),
                    audit_action="import",
                    then=_status_change(user, None, chosen),
                )
                created += 1
            else:
                if task is None:
                    raise writes.EditConflict({row["number"]: (row["version"], None)}, PilotTask)
                writes.update(
                    user=user,
                    record=task,
                    changes=values,
                    fields=FIELDS,
                    version=row["version"],
                    audit_action="import",
                    then=_status_change(user, task.status),
                )
                updated += 1
    return created, updated


def _status_change(
    user: Actor, old_status: str | None, units: list[ResponsibleUnit] | None = None
) -> Callable[[PilotTask], None]:
    """The history row of a new status (and a new task's units), written inside the task's
    own write."""

    def history(task: PilotTask) -> None:
        if units:
            task.units.set(units)
        if task.status != old_status:
            TaskStatusChange.objects.create(
                task=task, status=task.status, at=timezone.now(), by=acting_user(user)
            )

    return history
