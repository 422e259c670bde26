"""Read side: the batches, their measures with each zone's status, and the coverage matrix."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, visible
from zimao.reforms.models import PilotTask
from zimao.zones.models import Zone

from .models import AlignmentMeasure, Batch, MeasureTask

Status = PilotTask.Status
UNASSIGNED = "unassigned"  # the zone must carry the measure out, but no task was made yet
NOT_REQUIRED = ""


def batches(user: Actor) -> QuerySet[Batch]:
    return visible(user, Batch.objects.all())


def default_batch(user: Actor) -> Batch | None:
    """The batch shown when none is asked for: the one with the most measures loaded (a batch
    known by its count or a handful of measures shows little), the latest among equals."""
    found = batches(user).annotate(loaded=Count("measure_set"))
    return found.order_by("-loaded", "-issue_date", "-code").first()


def measures(
    user: Actor, batch: Batch, *, field: str = "", zone: str = "", q: str = ""
) -> QuerySet[AlignmentMeasure]:
    """The batch's measures, narrowed to a field, a zone that must carry them out, or words."""
    found = visible(user, AlignmentMeasure.objects.filter(batch=batch))
    if field:
        found = found.filter(field=field)
    if zone:
        found = found.filter(zones__code=zone)
    for word in q.split():
        found = found.filter(Q(title__icontains=word) | Q(provisions__icontains=word))
    return found.distinct()


@dataclass
class Cell:
    zone: Zone
    status: str  # a task status, UNASSIGNED, or NOT_REQUIRED
    task_id: int | None = None

    @property
    def label(self) -> str:
        if self.status == UNASSIGNED:
            return _("待下发")
        if self.status == NOT_REQUIRED:
            return ""
        return str(Status(self.status).label)


@dataclass
class Tally:
    implemented: int = 0
    applicable: int = 0  # required, except where the task is not applicable

    @property
    def rate(self) -> float | None:
        return self.implemented / self.applicable if self.applicable else None

    def add(self, status: str) -> None:
        if status == NOT_REQUIRED:
            return
        self.applicable += status != Status.NOT_APPLICABLE
        self.implemented += status == Status.IMPLEMENTED


@dataclass
class Matrix:
    zones: list[Zone]
    rows: list[tuple[AlignmentMeasure, list[Cell], Tally]]
    columns: list[Tally]
    total: Tally = field(default_factory=Tally)


def matrix(user: Actor, measure_list: list[AlignmentMeasure]) -> Matrix:
    """Measures × the zones that must carry any of them out: each cell the zone's task status,
    with implemented ÷ applicable per measure, per zone and overall. Four queries at any size."""
    ids = [m.pk for m in measure_list]
    through = AlignmentMeasure.zones.through.objects.filter(alignmentmeasure_id__in=ids)
    required = set(through.values_list("alignmentmeasure_id", "zone_id"))
    zones = list(Zone.objects.filter(pk__in={z for _, z in required}))
    tasks = visible(user, MeasureTask.objects.filter(measure_id__in=ids))
    statuses = {
        (m, z): (s, t)
        for m, z, s, t in tasks.values_list("measure", "zone", "task__status", "task")
    }
    columns = [Tally() for _ in zones]
    total = Tally()
    rows = []
    for measure in measure_list:
        cells, tally = [], Tally()
        for index, zone in enumerate(zones):
            key = (measure.pk, zone.pk)
            status, task = statuses.get(key, (UNASSIGNED if key in required else "", None))
            cells.append(Cell(zone, status, task))
            for counter in (tally, columns[index], total):
                counter.add(status)
        rows.append((measure, cells, tally))
    return Matrix(zones, rows, columns, total)


def measure_zones(user: Actor, measure: AlignmentMeasure) -> list[MeasureTask]:
    """The measure's task in each zone, with the innovations the reader may see."""
    links = visible(user, MeasureTask.objects.filter(measure=measure))
    return list(links.select_related("zone", "task__plan__zone").order_by("zone__batch", "zone_id"))


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def office_summary(user: Actor, limit: int = 8) -> dict[str, object] | None:
    """An office's alignment measures for its workbench: how many stand at each status, and
    the open ones first (two queries). None when the office carries none."""
    mine = visible(user, MeasureTask.objects.all(), Action.EDIT)
    counts = dict(mine.values_list("task__status").annotate(n=Count("id")).order_by())
    if not counts:
        return None
    pending = mine.filter(task__status__in=[Status.NOT_STARTED, Status.IN_PROGRESS])
    shown = pending.select_related("measure__batch", "zone", "task").order_by(
        "task__status", "measure__batch", "measure__position"
    )[:limit]
    applicable = sum(n for status, n in counts.items() if status != Status.NOT_APPLICABLE)
    return {
        "statuses": [(label, counts.get(value, 0)) for value, label in Status.choices],
        "open": list(shown),
        "rate": rate_text(Tally(counts.get(Status.IMPLEMENTED, 0), applicable).rate),
    }
