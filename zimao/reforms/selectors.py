"""Implementation rate (实施率): implemented ÷ all tasks that apply, now and over time."""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import PilotTask, TaskStatusChange

Status = PilotTask.Status


@dataclass(frozen=True)
class Rate:
    key: str
    implemented: int
    applicable: int  # all tasks except the not-applicable ones

    @property
    def rate(self) -> float | None:
        return self.implemented / self.applicable if self.applicable else None


def tasks(*, zone: str = "", plan: int | None = None, domain: str = "") -> QuerySet[PilotTask]:
    selected = PilotTask.objects.all()
    if zone:
        selected = selected.filter(plan__zone__code=zone)
    if plan is not None:
        selected = selected.filter(plan_id=plan)
    if domain:
        selected = selected.filter(domain__code=domain)
    return selected


def implementation_rates(by: str, **filters: object) -> list[Rate]:
    """Current rate per plan, zone, area or domain (`by` names which); tasks without an area
    are grouped under "—" when `by` is "area"."""
    key = {
        "plan": "plan__title",
        "zone": "plan__zone__code",
        "area": "area__name_zh",
        "domain": "domain__code",
    }[by]
    rows = (
        tasks(**filters)  # type: ignore[arg-type]
        .values(key)
        .annotate(
            implemented=Count("id", filter=Q(status=Status.IMPLEMENTED)),
            applicable=Count("id", filter=~Q(status=Status.NOT_APPLICABLE)),
        )
        .order_by(key)
    )
    return [Rate(str(r[key] or "—"), r["implemented"], r["applicable"]) for r in rows]


def rate_history(days: list[date], **filters: object) -> list[Rate]:
    """The rate on each day, rebuilt from the recorded status changes (a task with no change
    recorded before a day counts as not started then)."""
    selected = list(tasks(**filters).values_list("id", flat=True))  # type: ignore[arg-type]
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for change in TaskStatusChange.objects.filter(task_id__in=selected).order_by("at"):
        changes[change.task_id].append((change.at, change.status))
    out = []
    zone = timezone.get_current_timezone()
    for day in days:
        moment = datetime.combine(day, time.max, zone)
        implemented = applicable = 0
        for task_id in selected:
            history = changes.get(task_id, [])
            index = bisect_right([at for at, _ in history], moment) - 1
            status = history[index][1] if index >= 0 else Status.NOT_STARTED
            implemented += status == Status.IMPLEMENTED
            applicable += status != Status.NOT_APPLICABLE
        out.append(Rate(day.isoformat(), implemented, applicable))
    return out


def month_ends(count: int, today: date | None = None) -> list[date]:
    """Today and the last days of the `count - 1` months before, oldest first."""
    today = today or timezone.localdate()
    days = [today]
    cursor = today.replace(day=1) - timedelta(days=1)
    while len(days) < count:
        days.append(cursor)
        cursor = cursor.replace(day=1) - timedelta(days=1)
    return sorted(days)
