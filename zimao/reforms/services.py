"""Writes for innovations, effects and pilot tasks, all through the one write path
(zimao.audit.writes): check, versioned update, audit, re-index after commit."""

import math
from copy import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, visible
from zimao.audit import writes
from zimao.audit.services import acting_user
from zimao.audit.writes import EditConflict
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Zone

from .models import Effect, Innovation, PilotTask, ResponsibleUnit, TaskStatusChange

__all__ = ["EditConflict"]

INNOVATION_FIELDS = ("title", "zone", "area", "domain", "mechanism", "published")
TASK_FIELDS = ("status", "evidence", "units", "due_date")
UNIT_FIELDS = ("zone", "name")
EFFECT_FIELDS = ("innovation", "measure", "before", "after", "unit", "change_pct", "period")
MAX_EFFECT_VALUE = 1e12  # larger than any time, count or amount an office reports
CHANGE_TOLERANCE = 1.0  # percentage points: a stated change rounded to a whole number agrees


def visible_innovations(user: Actor) -> QuerySet[Innovation]:
    """Published innovations, plus unpublished ones inside the user's scopes."""
    return visible(user, Innovation.objects.all())


def creatable_zones(user: Actor) -> QuerySet[Zone]:
    """The zones in which the user may create innovations (form choices)."""
    return Zone.objects.filter(
        pk__in=[z.pk for z in Zone.objects.all() if writes.check_allowed(user, Innovation(zone=z))]
    )


def creatable_areas(user: Actor) -> QuerySet[Area]:
    """The areas in which the user may create innovations: an area office only its own."""
    areas = Area.objects.select_related("zone")
    return areas.filter(
        pk__in=[a.pk for a in areas if writes.check_allowed(user, Innovation(zone=a.zone, area=a))]
    )


def _validate_area(zone: Zone | None, area: Area | None) -> None:
    if area is not None and (zone is None or area.zone_id != zone.pk):
        raise ValidationError({"area": _("片区不属于所选自贸试验区")})


def _validate_title(title: Any) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({"title": _("标题不能为空")})
    if len(title) > 300:
        raise ValidationError({"title": _("标题不能超过 300 个字符")})
    return title.strip()


def check_not_frozen(innovation: Innovation) -> None:
    """A selected innovation is the decided record: it changes only after the office that
    selected it reopens it (an audited step of the lifecycle)."""
    if innovation.state == Innovation.State.SELECTED:
        raise ValidationError(
            _("该创新已入选，内容已锁定；如需修改，请由作出入选决定的单位先“重新打开”。")
        )


def innovation_create(
    *,
    user: Actor,
    title: str,
    zone: Zone | None,
    area: Area | None = None,
    domain: Domain | None = None,
    mechanism: str = "",
    token: str | None = None,
    note: str = "",
) -> Innovation:
    """A new innovation in the user's scope; `token` makes a repeated submission harmless."""
    _validate_area(zone, area)
    innovation = Innovation(
        title=_validate_title(title),
        zone=zone,
        area=area,
        domain=domain,
        mechanism=mechanism,
        created_by=acting_user(user),
    )
    return writes.create(
        user=user, record=innovation, fields=INNOVATION_FIELDS, token=token, note=note
    )


def innovation_update(
    *, user: Actor, innovation: Innovation, version: int, **changes: Any
) -> Innovation:
    """Change fields of an innovation loaded at `version`; moving it to another zone needs
    rights over both scopes, publishing it needs review rights."""
    action = Action.EDIT
    if "published" in changes and changes["published"] != innovation.published:
        action = Action.REVIEW
    moved = copy(innovation)
    for name in ("zone", "area"):
        setattr(moved, name, changes.get(name, getattr(innovation, name)))
    writes.check(user, action, innovation)
    writes.check(user, action, moved)
    check_not_frozen(innovation)
    if "title" in changes:
        changes["title"] = _validate_title(changes["title"])
    _validate_area(moved.zone, moved.area)
    return writes.update(
        user=user,
        record=innovation,
        changes=changes,
        fields=INNOVATION_FIELDS,
        version=version,
        action=action,
    )


def validate_effect(
    before: float | None, after: float | None, change_pct: float | None
) -> float | None:
    """The rules an effect must meet; returns the relative change (computed when absent).

    Values are finite, non-negative (times, counts, amounts) and below 10^12; a decrease
    cannot exceed 100 %. With both figures the change is recomputed from them, and a stated
    change more than one percentage point away is refused (72 → 18 is −75 %, not −90 %).
    """
    errors: dict[str, str] = {}
    for name, value in (("before", before), ("after", after)):
        if value is None:
            continue
        if not math.isfinite(value) or abs(value) > MAX_EFFECT_VALUE:
            errors[name] = _("数值无效或过大")
        elif value < 0:
            errors[name] = _("数值不能为负（时间、次数、金额均不小于 0）")
    if change_pct is not None:
        if not math.isfinite(change_pct) or abs(change_pct) > MAX_EFFECT_VALUE:
            errors["change_pct"] = _("变化百分比无效或过大")
        elif change_pct < -100:
            errors["change_pct"] = _("降幅不能超过 100%")
    if change_pct is None and (before is None or after is None):
        errors.setdefault("before", _("请填写改革前后数值，或填写变化百分比"))
    if errors:
        raise ValidationError(errors)
    if before and after is not None:  # the figures decide; a stated change must agree
        computed = round((after - before) / before * 100, 2)
        if change_pct is not None and abs(change_pct - computed) > CHANGE_TOLERANCE:
            message = _(
                "变化百分比与改革前后数值不符：%(before)g → %(after)g 为 %(computed)+.2f%%，"
                "而所填为 %(stated)+.2f%%；请核对，或留空由系统计算"
            )
            values = {"before": before, "after": after, "computed": computed, "stated": change_pct}
            raise ValidationError({"change_pct": message % values})
        change_pct = computed
    return change_pct


def effect_add(
    *,
    user: Actor,
    innovation: Innovation,
    measure: str,
    before: float | None = None,
    after: float | None = None,
    unit: str = "",
    change_pct: float | None = None,
    period: str = "",
    source_fact: Any = None,
    token: str | None = None,
) -> Effect:
    """Record a measured effect; the relative change is computed from before and after."""
    writes.check(user, Action.EDIT, Effect(innovation=innovation))
    check_not_frozen(innovation)
    if not measure.strip():
        raise ValidationError({"measure": _("请填写指标")})
    change_pct = validate_effect(before, after, change_pct)
    direction = ""
    if change_pct is not None:
        direction = "decrease" if change_pct < 0 else "increase"
    effect = Effect(
        innovation=innovation,
        measure=measure.strip()[:100],
        before=before,
        after=after,
        unit=unit[:20],
        change_pct=change_pct,
        direction=direction,
        period=period[:50],
        source_fact=source_fact,
    )
    return writes.create(
        user=user, record=effect, fields=EFFECT_FIELDS, action=Action.EDIT, token=token
    )


def has_evidence_files(task: PilotTask | None) -> bool:
    """Whether a saved task has a file behind it: an attachment or a linked document."""
    if task is None or task.pk is None:
        return False
    return bool(task.attachments.exists() or task.documents.exists())


def evidence_missing(status: str, evidence: str, task: PilotTask | None) -> str | None:
    """Why a task may not stand at 已实施 (None when it may): it needs written evidence or at
    least one attached file."""
    if status != PilotTask.Status.IMPLEMENTED or (evidence or "").strip():
        return None
    if has_evidence_files(task):
        return None
    return _("标记为“已实施”须有佐证：请填写进展与佐证，或先上传至少一个附件。")


def task_update(*, user: Actor, task: PilotTask, version: int, **changes: Any) -> PilotTask:
    """Record a pilot task's progress (status, evidence, responsible units, due date);
    已实施 needs evidence (text or a file)."""
    if "status" in changes and changes["status"] not in PilotTask.Status.values:
        raise ValidationError({"status": _("未知的状态")})
    writes.check(user, Action.EDIT, task)  # outsiders learn nothing about the task's rules
    if "units" in changes:
        changes["units"] = list(changes["units"])
        zone_id = task.plan.zone_id
        if any(u.zone_id != zone_id for u in changes["units"]):
            raise ValidationError({"units": _("责任单位须来自本试验区的责任单位名录")})
    missing = evidence_missing(
        changes.get("status", task.status), changes.get("evidence", task.evidence), task
    )
    if missing:
        raise ValidationError({"evidence": missing})
    old_status = task.status

    def history(saved: PilotTask) -> None:
        if saved.status != old_status:
            TaskStatusChange.objects.create(
                task=saved, status=saved.status, at=timezone.now(), by=acting_user(user)
            )

    return writes.update(
        user=user, record=task, changes=changes, fields=TASK_FIELDS, version=version, then=history
    )


def unit_create(*, user: Actor, zone: Zone, name: str) -> ResponsibleUnit:
    """A new entry of a zone's catalogue of responsible units; names are unique per zone."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写单位名称")})
    if len(name) > 100:
        raise ValidationError({"name": _("不能超过 100 个字符")})
    if ResponsibleUnit.objects.filter(zone=zone, name=name).exists():
        raise ValidationError({"name": _("本试验区已有名为“%(n)s”的责任单位") % {"n": name}})
    return writes.create(
        user=user, record=ResponsibleUnit(zone=zone, name=name), fields=UNIT_FIELDS
    )


def unit_rename(*, user: Actor, unit: ResponsibleUnit, name: str) -> ResponsibleUnit:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("请填写单位名称（不超过 100 个字符）")})
    clash = ResponsibleUnit.objects.filter(zone_id=unit.zone_id, name=name).exclude(pk=unit.pk)
    if clash.exists():
        raise ValidationError({"name": _("本试验区已有名为“%(n)s”的责任单位") % {"n": name}})
    return writes.update(user=user, record=unit, changes={"name": name}, fields=UNIT_FIELDS)
