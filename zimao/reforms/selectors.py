"""Implementation rate (实施率): implemented ÷ all tasks that apply, now and over time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Lag
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
    """The rate at the end of each day, rebuilt from the recorded status changes in one query.

    Every change is turned into deltas (implemented ±1, applicable ±1) against the task's
    previous status (a window function, in the database); the rate on a day is the running sum
    of deltas up to it, starting from every selected task counted as not started. The cost is
    one pass over the selected tasks' changes, never tasks × days.
    """
    if not days:
        return []
    selected = tasks(**filters)  # type: ignore[arg-type]
    total = selected.count()
    previous = Window(Lag("status"), partition_by=[F("task_id")], order_by=[F("at"), F("id")])
    changes = (
        TaskStatusChange.objects.filter(task__in=selected)
        .annotate(previous=previous)
        .values_list("at", "status", "previous")
        .order_by("at", "id")
    )
    zone = timezone.get_current_timezone()
    ends = [datetime.combine(day, time.max, zone) for day in days]
    implemented, applicable = 0, total
    out: list[Rate] = []
    index = 0
    for at, status, before in changes.iterator(chunk_size=5000):
        while index < len(ends) and at > ends[index]:
            out.append(Rate(days[index].isoformat(), implemented, applicable))
            index += 1
        if index == len(ends):
            break
        before = before or Status.NOT_STARTED
        implemented += (status == Status.IMPLEMENTED) - (before == Status.IMPLEMENTED)
        applicable += (before == Status.NOT_APPLICABLE) - (status == Status.NOT_APPLICABLE)
    out += [Rate(day.isoformat(), implemented, applicable) for day in days[index:]]
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
