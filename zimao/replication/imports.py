"""Adoption records out to Excel and back: the 落地记录 download, filled in by an office, comes
back in with a preview (new / updated / unchanged / conflict per row) and one confirm that
writes every changed row through `adoption_set` (audited, versioned), all or nothing."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor
from zimao.audit import writes
from zimao.lib import tabular
from zimao.lib.forms import parse_partial_date, refuse_future
from zimao.lib.models import validate_partial_date
from zimao.lib.tabular import CONFLICT, NEW, UNCHANGED, UPDATED, Preview
from zimao.zones.models import Area, Zone

from .models import Adoption, ReplicationItem
from .services import adoption_set

COLUMNS = ("item", "batch", "zone", "area", "status", "date", "evidence", "code", "version")
COLUMN_LABELS = {
    "item": "改革事项",
    "batch": "批次",
    "zone": "自贸试验区",
    "area": "片区",
    "status": "状态",
    "date": "日期",
    "evidence": "佐证",
    "code": "事项代码",
    "version": "版本",
}
HEADERS = {
    "item": ("item", "改革事项", "事项", "事项名称"),
    "batch": ("batch", "批次"),
    "zone": ("zone", "自贸试验区", "试验区"),
    "area": ("area", "片区"),
    "status": ("status", "状态", "落地情况"),
    "date": ("date", "日期", "落地日期"),
    "evidence": ("evidence", "佐证", "佐证材料", "进展与佐证"),
    "code": ("code", "事项代码", "代码"),
    "version": ("version", "版本"),
}
HEADER_NAMES = {n.lower(): column for column, names in HEADERS.items() for n in names}
STATUS_WORDS = {
    Adoption.Status.ADOPTED: ("已落地", "已复制", "已实施", "已完成", "完成", "adopted"),
    Adoption.Status.IN_PROGRESS: ("推进中", "进行中", "实施中", "正在推进", "in_progress"),
    Adoption.Status.NOT_APPLICABLE: ("不适用", "不涉及", "not_applicable"),
}
STATUS_NAMES = {w: str(code) for code, words in STATUS_WORDS.items() for w in words}
MAX_ROWS = 5000


def export_headers() -> list[str]:
    return [COLUMN_LABELS[c] for c in COLUMNS]


def adoption_rows(adoptions: Iterable[Adoption]) -> Iterator[list[object]]:
    """The rows of the 落地记录 download, in the columns the import reads back."""
    for a in adoptions:
        yield [
            a.item.title,
            a.item.batch.label,
            a.zone.name_zh,
            a.area.name_zh if a.area else "",
            str(a.get_status_display()),
            a.date,
            a.evidence,
            a.item.code,
            a.version,
        ]


def parse_adoptions(name: str, data: bytes, user: Actor) -> Preview:
    """Compare the file with the stored adoptions; every problem named by row and column."""
    preview = Preview()
    try:
        table = [r for r in tabular.read_table(name, data) if any(c.strip() for c in r)]
    except tabular.TableError as exc:
        preview.errors.append(str(exc))
        return preview
    if not table:
        preview.errors.append(_("文件是空的"))
        return preview
    header: list[str | None] = []
    ignored = []
    for cell in table[0]:
        column = HEADER_NAMES.get(cell.strip().lower())
        if column in header:
            column = None
        if column is None and cell.strip():
            ignored.append(cell.strip())
        header.append(column)
    missing = [COLUMN_LABELS[c] for c in ("zone", "status") if c not in header] + (
        [COLUMN_LABELS["item"]] if "item" not in header and "code" not in header else []
    )
    if missing:
        preview.errors.append(
            _("第 1 行（表头）：缺少列 %(m)s。可用列：%(all)s")
            % {"m": "、".join(missing), "all": "、".join(COLUMN_LABELS.values())}
        )
        return preview
    if ignored:
        preview.notes.append(_("以下列不属于落地记录，已忽略：%(c)s") % {"c": "、".join(ignored)})
    if len(table) - 1 > MAX_ROWS:
        preview.errors.append(_("超过 %(n)s 行，请分批导入") % {"n": MAX_ROWS})
        return preview
    _Checker(user, header, preview).check(table[1:])
    return preview


class _Checker:
    def __init__(self, user: Actor, header: list[str | None], preview: Preview) -> None:
        self.user, self.header, self.preview = user, header, preview
        items = list(ReplicationItem.objects.select_related("batch"))
        self.by_code = {i.code: i for i in items}
        self.by_title: dict[str, list[ReplicationItem]] = {}
        for item in items:
            self.by_title.setdefault(item.title, []).append(item)
        zones = list(Zone.objects.all())
        self.zones = tabular.Names(
            {z.name_zh: z for z in zones}
            | {z.short_name_zh: z for z in zones}
            | {z.code: z for z in zones}
        )
        self.areas = list(Area.objects.all())
        self.current = {
            (a.item_id, a.zone_id, a.area_id): a
            for a in Adoption.objects.all().only(
                "id", "item_id", "zone_id", "area_id", "status", "date", "evidence", "version"
            )
        }

    def problem(self, line: int, column: str, text: str) -> None:
        self.preview.errors.append(
            _("第 %(line)s 行「%(col)s」：%(text)s")
            % {"line": line, "col": COLUMN_LABELS[column], "text": text}
        )

    def check(self, rows: list[list[str]]) -> None:
        seen: dict[tuple[int, int, int | None], int] = {}
        for line, cells in enumerate(rows, start=2):
            raw = {c: cells[i] if i < len(cells) else "" for i, c in enumerate(self.header) if c}
            row = self.row(line, raw)
            if row is None:
                continue
            key = (row["item"], row["zone"], row["area"])
            if key in seen:
                self.problem(line, "item", _("与第 %(l)s 行重复") % {"l": seen[key]})
                continue
            seen[key] = line
            self.preview.rows.append(row)

    def item(self, line: int, raw: dict[str, str]) -> ReplicationItem | None:
        code, title = raw.get("code", "").strip(), raw.get("item", "").strip()
        if code:
            found = self.by_code.get(code)
            if found is None:
                self.problem(line, "code", _("未知的事项代码“%(v)s”") % {"v": code})
            return found
        candidates = self.by_title.get(title, [])
        batch = raw.get("batch", "").strip()
        if batch and len(candidates) > 1:
            candidates = [i for i in candidates if i.batch.label == batch]
        if len(candidates) == 1:
            return candidates[0]
        if not title:
            self.problem(line, "item", _("必填"))
        elif candidates:
            self.problem(line, "item", _("同名事项不止一个，请填写批次或事项代码"))
        else:
            self.problem(line, "item", _("找不到改革事项“%(v)s”") % {"v": title})
        return None

    def row(self, line: int, raw: dict[str, str]) -> dict[str, Any] | None:
        before = len(self.preview.errors)
        item = self.item(line, raw)
        zone, options = self.zones.find(raw["zone"].strip())
        if zone is None:
            self.problem(
                line,
                "zone",
                _("未知的自贸试验区“%(v)s”") % {"v": raw["zone"].strip()}
                + tabular.suggest(options),
            )
        area = None
        area_name = raw.get("area", "").strip()
        if area_name and zone is not None:
            names = tabular.Names({a.name_zh: a for a in self.areas if a.zone_id == zone.pk})
            area, options = names.find(area_name)
            if area is None:
                self.problem(
                    line,
                    "area",
                    _("“%(v)s”不是该试验区的片区") % {"v": area_name} + tabular.suggest(options),
                )
        status_text = raw["status"].strip()
        status = STATUS_NAMES.get(status_text) or STATUS_NAMES.get(status_text.lower())
        if status is None:
            self.problem(
                line,
                "status",
                _("未知的状态“%(v)s”，应为 已落地、推进中 或 不适用") % {"v": status_text},
            )
        date = raw.get("date", "").strip()
        try:
            date = parse_partial_date(date)
            validate_partial_date(date)
            if status == Adoption.Status.ADOPTED:
                refuse_future(date)
        except ValidationError as exc:
            self.problem(line, "date", "；".join(exc.messages))
        version_text = raw.get("version", "").strip()
        seen_version = int(version_text) if version_text.isdigit() else None
        if len(self.preview.errors) > before or item is None or zone is None:
            return None
        current = self.current.get((item.pk, zone.pk, area.pk if area else None))
        values = {"status": status, "date": date, "evidence": raw.get("evidence", "")}
        if "evidence" not in raw and current is not None:
            values["evidence"] = current.evidence
        if "date" not in raw and current is not None:
            values["date"] = current.date
        labels = dict(Adoption.Status.choices)
        if current is None:
            action, changes = NEW, [[COLUMN_LABELS[k], "", str(v)] for k, v in values.items() if v]
        else:
            changes = [
                [COLUMN_LABELS[k], str(getattr(current, k)), str(v)]
                for k, v in values.items()
                if getattr(current, k) != v
            ]
            action = UPDATED if changes else UNCHANGED
            if changes and seen_version is not None and seen_version != current.version:
                action = CONFLICT
                self.preview.errors.append(
                    _("第 %(line)s 行：该落地记录在文件导出后已被修改，请重新导出后再填写")
                    % {"line": line}
                )
        record = Adoption(item=item, zone=zone, area=area)
        if changes and not writes.check_allowed(self.user, record, Action.EDIT):
            # rows of other offices may come along in a download; only changing them is refused
            self.problem(line, "zone", _("该试验区（片区）的落地情况不在您的职责范围内"))
            return None
        for change in changes:
            if change[0] == COLUMN_LABELS["status"]:
                change[1:] = [str(labels.get(c, c)) for c in change[1:]]
        return {
            "line": line,
            "action": action,
            "item": item.pk,
            "item_title": item.title,
            "zone": zone.pk,
            "zone_name": zone.name_zh,
            "area": area.pk if area else None,
            "area_name": area.name_zh if area else "",
            "values": values,
            "version": current.version if current else None,
            "changes": changes,
            "status": str(labels[status]) if status else "",
        }


def adoptions_import(*, user: Actor, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Write the previewed new and updated rows in one transaction; (new, updated). An entry
    changed since the preview raises EditConflict and nothing is written."""
    items = {i.pk: i for i in ReplicationItem.objects.filter(pk__in={r["item"] for r in rows})}
    zones = {z.pk: z for z in Zone.objects.all()}
    areas = {a.pk: a for a in Area.objects.filter(pk__in={r["area"] for r in rows if r["area"]})}
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            if row["action"] not in (NEW, UPDATED):
                continue
            adoption_set(
                user=user,
                item=items[row["item"]],
                zone=zones[row["zone"]],
                area=areas.get(row["area"]) if row["area"] else None,
                version=row["version"],
                **row["values"],
            )
            if row["action"] == NEW:
                created += 1
            else:
                updated += 1
    return created, updated
