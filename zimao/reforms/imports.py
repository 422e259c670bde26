"""Import pilot tasks of a plan from CSV or XLSX: parse and validate everything, show a
preview, and only then write (all rows or none)."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from zimao.accounts.permissions import Action, RecordScope, check
from zimao.audit.services import Actor, acting_user, audit_record
from zimao.zones.models import Plan

from .models import Domain, PilotTask, TaskStatusChange

COLUMNS = ("number", "text", "domain", "responsible_units", "status", "area")
REQUIRED = ("number", "text")
MAX_ROWS = 5000


@dataclass
class Preview:
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line 3: ..." or file-level

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _table(name: str, data: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ValueError(f"not a readable .xlsx workbook ({type(exc).__name__})") from exc
        if sheet is None:
            raise ValueError("the workbook has no sheet")
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ValueError("the CSV is neither UTF-8 nor GB18030") from exc
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def parse_tasks(name: str, data: bytes, plan: Plan | None = None) -> Preview:
    """Rows as dicts, or the problems found, each with its line number."""
    preview = Preview()
    try:
        table = _table(name, data)
    except (ValueError, csv.Error) as exc:
        preview.errors.append(str(exc))
        return preview
    table = [row for row in table if any(row)]
    if not table:
        preview.errors.append("the file is empty")
        return preview
    header = [h.lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        preview.errors.append(
            f"line 1: columns must be {', '.join(COLUMNS)} (missing: {', '.join(missing) or '-'}; "
            f"unknown: {', '.join(unknown) or '-'})"
        )
        return preview
    if len(table) - 1 > MAX_ROWS:
        preview.errors.append(f"more than {MAX_ROWS} rows")
        return preview
    domains = set(Domain.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        row = {
            c: (cells[header.index(c)] if c in header and header.index(c) < len(cells) else "")
            for c in COLUMNS
        }
        for column in REQUIRED:
            if not row[column]:
                preview.errors.append(f"line {line}: {column} is required")
        if row["domain"] and row["domain"] not in domains:
            preview.errors.append(f"line {line}: unknown domain {row['domain']!r}")
        if row["status"] and row["status"] not in PilotTask.Status.values:
            preview.errors.append(f"line {line}: unknown status {row['status']!r}")
        if (
            row["area"]
            and plan is not None
            and not plan.zone.areas.filter(name_zh=row["area"]).exists()
        ):
            preview.errors.append(f"line {line}: {row['area']!r} is not an area of this zone")
        if row["number"] in seen:
            preview.errors.append(
                f"line {line}: number {row['number']} repeats line {seen[row['number']]}"
            )
        seen.setdefault(row["number"], line)
        preview.rows.append(row)
    return preview


def tasks_import(*, user: Actor, plan: Plan, rows: list[dict[str, str]]) -> tuple[int, int]:
    """Create or update the plan's tasks by number, in one transaction; return (new, updated)."""
    zone = plan.zone
    check(user, Action.CREATE, RecordScope(zone.code, zone.province, None))
    domains = {d.code: d for d in Domain.objects.all()}
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            values: dict[str, Any] = {
                "area": plan.zone.areas.filter(name_zh=row.get("area", "")).first(),
                "text": row["text"],
                "domain": domains.get(row["domain"]),
                "responsible_units": row["responsible_units"],
                "status": row["status"] or PilotTask.Status.NOT_STARTED,
            }
            task, was_created = PilotTask.objects.update_or_create(
                plan=plan, number=row["number"], defaults=values
            )
            created += was_created
            updated += not was_created
            TaskStatusChange.objects.create(
                task=task, status=task.status, at=timezone.now(), by=acting_user(user)
            )
            audit_record(
                actor=user, action="import", record=task, after={k: v for k, v in row.items()}
            )
    return created, updated
