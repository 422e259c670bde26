"""Deadlines of pilot tasks (完成时限): which open tasks are overdue or due soon, measured
against one `today()`, and the daily alert to the offices that carry them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.models import Membership, Role, User
from zimao.alerts.notify import notify

from .models import PilotTask, TaskAlert

OPEN = (PilotTask.Status.NOT_STARTED, PilotTask.Status.IN_PROGRESS)


def today() -> date:
    """The day deadlines are measured against: settings.TODAY when set (tests, demonstrations),
    else the server's local date. Every deadline reading goes through here."""
    fixed = getattr(settings, "TODAY", None)
    return fixed if isinstance(fixed, date) else timezone.localdate()


def soon_until(day: date) -> date:
    return day + timedelta(days=settings.DUE_SOON_DAYS)


def overdue(selected: QuerySet[PilotTask], day: date) -> QuerySet[PilotTask]:
    """Open tasks whose due date has passed, the longest overdue first."""
    return selected.filter(status__in=OPEN, due_date__lt=day).order_by("due_date", "id")


def due_soon(selected: QuerySet[PilotTask], day: date) -> QuerySet[PilotTask]:
    """Open tasks due from `day` to the end of the due-soon window, the nearest first."""
    return selected.filter(
        status__in=OPEN, due_date__gte=day, due_date__lte=soon_until(day)
    ).order_by("due_date", "id")


def filter_due(selected: QuerySet[PilotTask], which: str, day: date) -> QuerySet[PilotTask]:
    """The task list's 逾期 / 即将到期 filter; anything else leaves the list as it is."""
    if which == "overdue":
        return overdue(selected, day)
    if which == "soon":
        return due_soon(selected, day)
    return selected


def days_left(task: PilotTask, day: date) -> int | None:
    return (task.due_date - day).days if task.due_date else None


def offices_of(task: PilotTask) -> QuerySet[User]:
    """The people who carry a task: its zone office and, for an area's task, the area office."""
    q = Q(role=Role.ZONE, zone_id=task.plan.zone_id)
    if task.area_id:
        q |= Q(role=Role.AREA, area_id=task.area_id)
    users = Membership.objects.filter(q).values("user_id")
    return User.objects.filter(pk__in=users, is_active=True).order_by("pk")


@dataclass(frozen=True)
class Sent:
    due_soon: int
    overdue: int


def scheduled(now: datetime) -> Sent:
    """Alert the offices of every open task that entered a threshold (due soon, overdue):
    once per task, threshold and due date, however often this runs."""
    day = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    counts = {TaskAlert.Threshold.DUE_SOON: 0, TaskAlert.Threshold.OVERDUE: 0}
    base = PilotTask.objects.select_related("plan__zone", "area")
    for threshold, selected in (
        (TaskAlert.Threshold.OVERDUE, overdue(base, day)),
        (TaskAlert.Threshold.DUE_SOON, due_soon(base, day)),
    ):
        done = set(TaskAlert.objects.filter(threshold=threshold).values_list("task_id", "due_date"))
        for task in selected:
            if (task.pk, task.due_date) in done or task.due_date is None:
                continue
            try:
                with transaction.atomic():
                    TaskAlert.objects.create(
                        task=task, threshold=threshold, due_date=task.due_date, at=now
                    )
                    notify(
                        offices_of(task),
                        _alert_text(task, threshold, day),
                        reverse("reforms:plan", args=[task.plan_id]) + f"#task-{task.pk}",
                        kind=f"task_{threshold}",
                        now=now,
                    )
            except IntegrityError:
                continue  # another run sent it meanwhile
            counts[threshold] += 1
    return Sent(
        due_soon=counts[TaskAlert.Threshold.DUE_SOON], overdue=counts[TaskAlert.Threshold.OVERDUE]
    )


def _alert_text(task: PilotTask, threshold: str, day: date) -> str:
    due = task.due_date or day
    values = {
        "number": task.number,
        "text": task.text[:60],
        "due": due.isoformat(),
        "days": abs((due - day).days),
    }
    if threshold == TaskAlert.Threshold.OVERDUE:
        return _("试点任务 %(number)s 已逾期 %(days)s 天（完成时限 %(due)s）：%(text)s") % values
    return _("试点任务 %(number)s 将于 %(days)s 天后到期（完成时限 %(due)s）：%(text)s") % values
