"""Writes for the alignment measures, all through the one write path (zimao.audit.writes)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, check, visible
from zimao.audit import writes
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import ReplicationItem
from zimao.zones.models import Plan

from .models import AlignmentMeasure, Batch, MeasureTask, StressTest

TASK_FIELDS = ("plan", "number", "text", "status")
LINK_FIELDS = ("innovations",)
STRESS_FIELDS = ("topic", "national_edition", "innovations", "items", "summary")


def task_number(measure: AlignmentMeasure) -> str:
    """The task's number in the zone's plan: the circular's number where known, else the
    measure's place in the batch."""
    return f"对接-{measure.number:02d}" if measure.number else f"对接-P{measure.position:02d}"


def alignment_assign(*, user: Actor, batch: Batch) -> int:
    """Make each measure of the batch a pilot task in every zone that must carry it out, in
    that zone's plan for the batch; measures already assigned are left as they are, so a rerun
    (after more measures are loaded) adds only what is missing. Returns the tasks created."""
    check(user, Action.EDIT, batch)
    measures = list(batch.measure_set.prefetch_related("zones"))
    plans = {p.zone_id: p for p in Plan.objects.filter(title=batch.plan_title)}
    missing = sorted(
        {z.short_name_zh for m in measures for z in m.zones.all() if z.pk not in plans}
    )
    if missing:
        message = _("以下试验区没有该批措施的方案，请先载入参考数据：%(zones)s")
        raise ValidationError(message % {"zones": "、".join(missing)})
    done = set(MeasureTask.objects.filter(measure__batch=batch).values_list("measure", "zone"))
    created = 0
    with transaction.atomic():
        for measure in measures:
            for zone in measure.zones.all():
                if (measure.pk, zone.pk) in done:
                    continue
                _assign(user, measure, plans[zone.pk])
                created += 1
    return created


def _assign(user: Actor, measure: AlignmentMeasure, plan: Plan) -> MeasureTask:
    text = f"【{measure.get_field_display()}】{measure.title}"
    task = PilotTask(plan=plan, number=task_number(measure), text=text)
    task = writes.create(user=user, record=task, fields=TASK_FIELDS, note=measure.code)
    link = MeasureTask(measure=measure, zone=plan.zone, task=task)
    return writes.create(user=user, record=link, fields=("measure", "zone", "task"))


def measure_task_link(
    *, user: Actor, link: MeasureTask, innovations: Iterable[Innovation]
) -> MeasureTask:
    """Name the innovations a zone drew from the measure: its own zone's innovations only."""
    chosen = list(innovations)
    writes.check(user, Action.EDIT, link)
    foreign = [i.title for i in chosen if i.zone_id != link.zone_id]
    if foreign:
        message = _("只能关联本试验区的制度创新成果：%(titles)s")
        raise ValidationError({"innovations": message % {"titles": "、".join(foreign)}})
    return writes.update(
        user=user, record=link, changes={"innovations": chosen}, fields=LINK_FIELDS
    )


def stress_test_save(
    *, user: Actor, topic: str, version: int | None = None, **changes: Any
) -> StressTest:
    """Create or change the stress-test record of a measure topic (the national office)."""
    found = StressTest.objects.filter(topic=topic).first()
    for name, model in (("innovations", Innovation), ("items", ReplicationItem)):
        if name in changes:
            changes[name] = list(changes[name])
            if any(not isinstance(r, model) for r in changes[name]):
                raise ValidationError({name: _("关联记录类型不符")})
    if found is None:
        related = {k: changes.pop(k) for k in ("innovations", "items") if k in changes}

        def then(record: StressTest) -> None:
            for name, value in related.items():
                getattr(record, name).set(value)

        record = StressTest(topic=topic, **changes)
        return writes.create(user=user, record=record, fields=STRESS_FIELDS, then=then)
    if version is None:
        raise ValidationError({"version": _("缺少版本号，请刷新页面后重试")})
    return writes.update(
        user=user, record=found, changes=changes, fields=STRESS_FIELDS, version=version
    )


def visible_innovations(user: Actor, zone_id: int) -> list[Innovation]:
    """The zone's innovations this user may see, as choices for a link."""
    found = visible(user, Innovation.objects.filter(zone_id=zone_id))
    return list(found.order_by("-created_at", "-id")[:200])
