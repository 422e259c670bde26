"""Implementation rate (实施率): implemented ÷ all tasks that apply, now and over time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet, Window
from django.db.models.functions import Lag
from django.utils import timezone

from zimao.lib.pagecache import remembered

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


def tasks(
    base: QuerySet[PilotTask] | None = None,
    *,
    zone: str = "",
    plan: int | None = None,
    domain: str = "",
    area: int | None = None,
) -> QuerySet[PilotTask]:
    """`base` (default: every task) narrowed to a zone, plan, domain or area."""
    selected = base if base is not None else PilotTask.objects.all()
    if zone:
        selected = selected.filter(plan__zone__code=zone)
    if plan is not None:
        selected = selected.filter(plan_id=plan)
    if domain:
        selected = selected.filter(domain__code=domain)
    if area is not None:
        selected = selected.filter(area_id=area)
    return selected


COUNTS: dict[str, Any] = {
    "implemented": Count("id", filter=Q(status=Status.IMPLEMENTED)),
    "applicable": Count("id", filter=~Q(status=Status.NOT_APPLICABLE)),
}


def implementation_rates(
    by: str, base: QuerySet[PilotTask] | None = None, **filters: object
) -> list[Rate]:
    """Current rate per plan, zone, area or domain (`by` names which) of `base` (default: all
    tasks) narrowed by `filters`; tasks without an area are grouped under "—" when `by` is
    "area". One aggregate query."""
    key = {
        "plan": "plan__title",
        "zone": "plan__zone__code",
        "area": "area__name_zh",
        "domain": "domain__code",
    }[by]
    rows = tasks(base, **filters).values(key).annotate(**COUNTS).order_by(key)  # type: ignore[arg-type]
    return [Rate(str(r[key] or "—"), r["implemented"], r["applicable"]) for r in rows]


def rate_of(selected: QuerySet[PilotTask], key: str = "") -> Rate:
    """The current rate of a set of tasks, in one aggregate query."""
    row = selected.aggregate(**COUNTS)
    return Rate(key, row["implemented"] or 0, row["applicable"] or 0)


def open_tasks(selected: QuerySet[PilotTask], limit: int = 8) -> list[PilotTask]:
    """Tasks not yet implemented (not started first), for an office's to-do list."""
    pending = selected.filter(status__in=[Status.NOT_STARTED, Status.IN_PROGRESS])
    return list(pending.select_related("plan", "area").order_by("status", "plan_id", "id")[:limit])


def history_start(selected: QuerySet[PilotTask]) -> date | None:
    """The day the first status of these tasks was recorded: charts start there."""
    first = TaskStatusChange.objects.filter(task__in=selected.values("pk")).aggregate(at=Min("at"))
    moment = first["at"]
    return timezone.localdate(moment) if moment is not None else None


def rate_history(
    days: list[date], base: QuerySet[PilotTask] | None = None, **filters: object
) -> list[Rate]:
    """The rate at the end of each day, rebuilt from the recorded status changes in one query.

    Every change is turned into deltas (implemented ±1, applicable ±1) against the task's
    previous status (a window function, in the database); the rate on a day is the running sum
    of deltas up to it, starting from every selected task counted as not started. The cost is
    one pass over the selected tasks' changes, never tasks × days.
    """
    if not days:
        return []
    selected = tasks(base, **filters)  # type: ignore[arg-type]
    total = selected.count()
    previous = Window(Lag("status"), partition_by=[F("task_id")], order_by=[F("at"), F("id")])
    changes = (
        TaskStatusChange.objects.filter(task__in=selected)
        .annotate(previous=previous)
        .values("at", "status", "previous")
        .order_by()
    )
    zone = timezone.get_current_timezone()
    ends = [datetime.combine(day, time.max, zone) for day in days]
    inner, inner_params = changes.query.sql_with_params()
    bucket = " ".join("WHEN c.at <= %s THEN " + str(n) for n in range(len(ends)))
    was = "COALESCE(c.previous, %s)"
    # Only placeholders, column names and the inner query's SQL are interpolated.
    sql = (
        f"SELECT CASE {bucket} ELSE {len(ends)} END AS bucket, "  # noqa: S608
        f"SUM(CASE WHEN c.status = %s THEN 1 ELSE 0 END - CASE WHEN {was} = %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {was} = %s THEN 1 ELSE 0 END - CASE WHEN c.status = %s THEN 1 ELSE 0 END) "
        f"FROM ({inner}) c GROUP BY 1"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        *[adapt(end) for end in ends],
        Status.IMPLEMENTED.value,
        Status.NOT_STARTED.value,
        Status.IMPLEMENTED.value,
        Status.NOT_STARTED.value,
        Status.NOT_APPLICABLE.value,
        Status.NOT_APPLICABLE.value,
        *inner_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        sums = {int(row[0]): (int(row[1] or 0), int(row[2] or 0)) for row in cursor.fetchall()}
    implemented, applicable = 0, total
    out: list[Rate] = []
    for index, day in enumerate(days):
        gained, opened = sums.get(index, (0, 0))
        implemented += gained
        applicable += opened
        out.append(Rate(day.isoformat(), implemented, applicable))
    return out


def zone_rates(by: str, zone: str = "") -> list[Rate]:
    """`implementation_rates(by, zone=zone)` for the whole country or one zone (what the
    implementation page and API show every visitor alike), computed once and kept until a
    committed change to the tasks (pagecache.remembered): reading it again costs no grouping
    of every task."""
    return remembered("reforms.rates", f"{by}:{zone}", lambda: implementation_rates(by, zone=zone))


def zone_rate_history(days: list[date], zone: str = "") -> list[Rate]:
    """`rate_history(days, zone=zone)`, kept like `zone_rates` (per zone and list of days) until
    a committed change to the tasks: the walk over every recorded status change runs once per
    change, not once per visit."""
    key = f"{zone}:{','.join(d.isoformat() for d in days)}"
    return remembered("reforms.rate-history", key, lambda: rate_history(days, zone=zone))


def zone_chart_days(zone: str = "", months: int = 12) -> list[date]:
    """`chart_days` of a zone's (or all) tasks, kept like `zone_rates`."""
    key = f"{zone}:{months}:{timezone.localdate().isoformat()}"
    return remembered("reforms.chart-days", key, lambda: chart_days(tasks(zone=zone), months))


def chart_days(selected: QuerySet[PilotTask], months: int = 12) -> list[date]:
    """Month ends for a trend chart, from the month the data starts (never months of 0 %
    before any status was recorded); today alone when nothing is recorded yet."""
    days = month_ends(months)
    start = history_start(selected)
    if start is None:
        return days[-1:]
    first_month_end = start.replace(day=1)
    return [d for d in days if d >= first_month_end]


def month_ends(count: int, today: date | None = None) -> list[date]:
    """Today and the last days of the `count - 1` months before, oldest first."""
    today = today or timezone.localdate()
    days = [today]
    cursor = today.replace(day=1) - timedelta(days=1)
    while len(days) < count:
        days.append(cursor)
        cursor = cursor.replace(day=1) - timedelta(days=1)
    return sorted(days)
