"""The daily reminder of assignments that entered a threshold (due soon, overdue), to the
department's contact and the offices that carry the demand: once per assignment, threshold and
deadline, however often it runs."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.alerts.notify import notify

from .models import Assignment, AssignmentAlert
from .services import offices_of


@dataclass(frozen=True)
class Sent:
    due_soon: int
    overdue: int


def _text(assignment: Assignment, threshold: str, days: int) -> str:
    if threshold == AssignmentAlert.Threshold.OVERDUE:
        return _("企业诉求“%(t)s”交%(u)s办理，已逾期 %(n)s 天。") % {
            "t": assignment.demand.title,
            "u": assignment.unit.name,
            "n": days,
        }
    return _("企业诉求“%(t)s”交%(u)s办理，将于 %(n)s 天后到期。") % {
        "t": assignment.demand.title,
        "u": assignment.unit.name,
        "n": days,
    }


def scheduled(now: datetime) -> Sent:
    day = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    open_ = Assignment.objects.filter(status=Assignment.Status.OPEN).select_related(
        "demand", "unit", "contact"
    )
    soon_end = day + timedelta(days=settings.DUE_SOON_DAYS)
    counts = {AssignmentAlert.Threshold.DUE_SOON: 0, AssignmentAlert.Threshold.OVERDUE: 0}
    for threshold, selected in (
        (AssignmentAlert.Threshold.OVERDUE, open_.filter(due_date__lt=day)),
        (
            AssignmentAlert.Threshold.DUE_SOON,
            open_.filter(due_date__gte=day, due_date__lte=soon_end),
        ),
    ):
        done = set(
            AssignmentAlert.objects.filter(threshold=threshold).values_list(
                "assignment_id", "due_date"
            )
        )
        for assignment in selected.order_by("due_date", "id"):
            if (assignment.pk, assignment.due_date) in done:
                continue
            days = abs((assignment.due_date - day).days)
            people = list(offices_of(assignment.demand.zone_id, assignment.demand.area_id))
            if assignment.contact is not None:
                people.append(assignment.contact)
            try:
                with transaction.atomic():
                    AssignmentAlert.objects.create(
                        assignment=assignment,
                        threshold=threshold,
                        due_date=assignment.due_date,
                        at=now,
                    )
                    notify(
                        people,
                        _text(assignment, threshold, days),
                        assignment.get_absolute_url(),
                        kind=f"demand_{threshold}",
                        now=now,
                    )
            except IntegrityError:
                continue  # another run sent it meanwhile
            counts[threshold] += 1
    return Sent(
        counts[AssignmentAlert.Threshold.DUE_SOON], counts[AssignmentAlert.Threshold.OVERDUE]
    )
