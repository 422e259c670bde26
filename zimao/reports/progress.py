"""The periodic progress report (月报/季报, 工作进展) of a zone, an area or a province.

What happened in one month or quarter, read from the records: task status changes and tasks
implemented in the period, the implementation rate at the period's end (rebuilt from the
recorded status changes, like the annual report), overdue tasks where tasks carry a due date,
new innovations, their lifecycle steps and the selection decisions, adoptions that went live,
and the observations whose period falls in the report period, each with its source.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.indicators.models import Observation, Provenance
from zimao.indicators.periods import Period, PeriodError, parse_period
from zimao.indicators.subjects import Kind, Subject
from zimao.indicators.units import format_value
from zimao.reforms.models import Innovation, PilotTask, TaskStatusChange, Transition
from zimao.reforms.selectors import rate_history
from zimao.replication.models import Adoption
from zimao.zones.models import Zone

from .content import Report, SourceNote

Status = PilotTask.Status
PROGRESS_SECTIONS = ("summary", "outlook")
PROGRESS_KINDS = (Kind.ZONE, Kind.AREA, Kind.PROVINCE)
STATUS_NAMES = dict(Status.choices)
STATE_NAMES = dict(Innovation.State.choices)


def report_period(text: str) -> Period:
    """A month or a quarter (2025-11, 2025-Q4, 2025年11月, 2025年第四季度); anything else is a
    `PeriodError` with a message for the user."""
    try:
        period = parse_period(text.strip())
    except PeriodError as exc:
        raise PeriodError(_("报告期无效：%(e)s") % {"e": exc}) from exc
    if period.kind not in ("month", "quarter"):
        raise PeriodError(_("报告期须为某月（如 2025-11）或某季度（如 2025-Q4）"))
    return period


def period_days(period: Period) -> tuple[date, date]:
    first = date(period.year, period.first_month, 1)
    following = date(period.year + period.last_month // 12, period.last_month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def period_name(period: Period) -> str:
    """月报 or 季报, as offices call them."""
    return "月报" if period.kind == "month" else "季报"


def previous_month(day: date) -> str:
    """The month before `day`'s month, as a period code (2025-11 on any day of December)."""
    last = day.replace(day=1) - timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


@dataclass
class RateAt:
    day: date
    implemented: int
    applicable: int

    @property
    def value(self) -> Decimal | None:
        if not self.applicable:
            return None
        return Decimal(self.implemented * 100) / Decimal(self.applicable)

    @property
    def text(self) -> str:
        return format_value(self.value, "%") if self.value is not None else "—"


@dataclass
class Progress:
    """The period's figures; every list holds plain rows ready to print."""

    period: Period
    first: date
    last: date
    task_count: int = 0
    rate_before: RateAt | None = None
    rate_after: RateAt | None = None
    changes: list[dict[str, str]] = field(default_factory=list)
    implemented: list[dict[str, str]] = field(default_factory=list)
    overdue: list[dict[str, str]] | None = None  # None: tasks carry no due date
    new_innovations: list[dict[str, str]] = field(default_factory=list)
    steps: list[dict[str, str]] = field(default_factory=list)
    decisions: list[dict[str, str]] = field(default_factory=list)
    adoptions: list[dict[str, str]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.period.label


def _moment(day: date, end: bool) -> datetime:
    return datetime.combine(day, time.max if end else time.min, timezone.get_current_timezone())


def _tasks(subject: Subject) -> QuerySet[PilotTask]:
    if subject.kind == Kind.AREA and subject.area is not None:
        return PilotTask.objects.filter(area=subject.area)
    if subject.kind == Kind.ZONE and subject.zone is not None:
        return PilotTask.objects.filter(plan__zone=subject.zone)
    if subject.kind == Kind.PROVINCE:
        return PilotTask.objects.filter(plan__zone__province=subject.key)
    return PilotTask.objects.none()


def _scope_q(subject: Subject, zone: str = "zone", area: str = "area") -> Q:
    if subject.kind == Kind.AREA and subject.area is not None:
        return Q(**{area: subject.area})
    if subject.kind == Kind.ZONE and subject.zone is not None:
        return Q(**{zone: subject.zone})
    if subject.kind == Kind.PROVINCE:
        return Q(**{f"{zone}__province": subject.key})
    return Q(pk__in=[])


def _rate(selected: QuerySet[PilotTask], day: date) -> RateAt:
    rate = rate_history([day], base=selected)[0]
    return RateAt(day, rate.implemented, rate.applicable)


def _task_history(
    selected: QuerySet[PilotTask], start: datetime, end: datetime, progress: Progress
) -> dict[int, str]:
    """Fill the period's status changes and newly implemented tasks; return each task's status
    at the period's end (a task without a recorded change counts as not started)."""
    status_at_start: dict[int, str] = {}
    status_at_end: dict[int, str] = {}
    changes = (
        TaskStatusChange.objects.filter(task__in=selected, at__lte=end)
        .select_related("task")
        .order_by("task_id", "at", "id")
    )
    for change in changes:
        before = status_at_end.get(change.task_id, Status.NOT_STARTED)
        if change.at < start:
            status_at_start[change.task_id] = change.status
        elif change.status != before:
            progress.changes.append(
                {
                    "number": change.task.number,
                    "text": change.task.text,
                    "from": str(STATUS_NAMES[before]),
                    "to": str(STATUS_NAMES[change.status]),
                    "date": timezone.localdate(change.at).isoformat(),
                }
            )
        status_at_end[change.task_id] = change.status
    progress.changes.sort(key=lambda c: (c["date"], c["number"]))
    tasks = {t.pk: t for t in selected.filter(pk__in=list(status_at_end))}
    for pk, status in status_at_end.items():
        was = status_at_start.get(pk, Status.NOT_STARTED)
        if status == Status.IMPLEMENTED and was != Status.IMPLEMENTED:
            task = tasks[pk]
            progress.implemented.append({"number": task.number, "text": task.text})
    progress.implemented.sort(key=lambda t: t["number"])
    return status_at_end


def _overdue(
    selected: QuerySet[PilotTask], last: date, status_at_end: dict[int, str]
) -> list[dict[str, str]] | None:
    """Tasks past their due date and not done at the period's end; None when no task of the
    subject has a due date (the report then says that deadlines are not set)."""
    if not selected.filter(due_date__isnull=False).exists():
        return None
    rows = []
    overdue = selected.filter(due_date__lt=last).prefetch_related("units")
    for task in overdue.order_by("due_date", "number"):
        status = status_at_end.get(task.pk, Status.NOT_STARTED)
        if status in (Status.IMPLEMENTED, Status.NOT_APPLICABLE):
            continue
        rows.append(
            {
                "number": task.number,
                "text": task.text,
                "due": task.due_date.isoformat() if task.due_date else "",
                "status": str(STATUS_NAMES[status]),
                "units": "、".join(u.name for u in task.units.all()),
            }
        )
    return rows


def _innovations(subject: Subject, start: datetime, end: datetime, progress: Progress) -> None:
    """Published innovations only: the report is read beyond the office that wrote it."""
    published = Innovation.objects.filter(_scope_q(subject), published=True)
    for item in published.filter(created_at__range=(start, end)).select_related("domain"):
        progress.new_innovations.append(
            {
                "title": item.title,
                "domain": item.domain.name_zh if item.domain else "—",
                "state": str(item.get_state_display()),
                "date": timezone.localdate(item.created_at).isoformat(),
            }
        )
    progress.new_innovations.sort(key=lambda i: (i["date"], i["title"]))
    steps = Transition.objects.filter(
        innovation__in=published, at__range=(start, end)
    ).select_related("innovation")
    for step in steps.order_by("at", "id"):
        row = {
            "title": step.innovation.title,
            "from": str(STATE_NAMES[step.from_state]),
            "to": str(STATE_NAMES[step.to_state]),
            "date": timezone.localdate(step.at).isoformat(),
        }
        if step.to_state == Innovation.State.SELECTED:
            selection = step.innovation.get_selection_display() or "入选"
            progress.decisions.append(row | {"decision": str(selection)})
        else:
            progress.steps.append(row)


def _month_prefixes(period: Period) -> list[str]:
    return [f"{period.year}-{m:02d}" for m in range(period.first_month, period.last_month + 1)]


def _adoptions(subject: Subject, progress: Progress) -> None:
    """Adoptions marked 已落地 with a date inside the period (dates may be partial: 2025-11)."""
    in_period = Q()
    for prefix in _month_prefixes(progress.period):
        in_period |= Q(date__startswith=prefix)
    if progress.period.kind == "quarter":
        in_period |= Q(date=progress.period.code)
    rows = (
        Adoption.objects.filter(_scope_q(subject), in_period, status=Adoption.Status.ADOPTED)
        .select_related("item", "item__batch", "area")
        .order_by("date", "item__code")
    )
    for a in rows:
        progress.adoptions.append(
            {
                "item": a.item.title,
                "batch": a.item.batch.label,
                "where": a.area.name_zh if a.area else "",
                "date": str(a.date),
            }
        )


def _indicators(subject: Subject, progress: Progress, notes: list[SourceNote]) -> None:
    """Preferred observations of the subject whose period ends inside the report period."""
    kinds = {"month", "months", "quarter", "date"}
    observations = Observation.objects.filter(
        subject_kind=subject.kind, subject=subject.key, preferred=True
    ).select_related("indicator")
    found = []
    for o in observations.filter(period__startswith=str(progress.period.year)):
        try:
            when = parse_period(o.period)
        except PeriodError:
            continue
        inside = progress.period.first_month <= when.last_month <= progress.period.last_month
        if when.kind in kinds and when.year == progress.period.year and inside:
            found.append((o, when))
    found.sort(key=lambda pair: (pair[0].indicator.code, pair[1].sort_key))
    for o, when in found:
        number = len(notes) + 1
        sample = o.provenance == Provenance.SAMPLE
        value = format_value(o.value, o.unit or o.indicator.unit)
        if sample:
            value = f"{value}（样例）"
        name = o.indicator.name_zh
        notes.append(SourceNote(number, name, subject.label, when.label, value, o.source, o.pk))
        progress.indicators.append(
            {
                "indicator": o.indicator.name_zh,
                "period": when.label,
                "value": value,
                "provenance": str(Provenance(o.provenance).label),
                "note": number,
                "sample": sample,
            }
        )


def collect(subject: Subject, period: Period) -> tuple[Progress, list[SourceNote]]:
    first, last = period_days(period)
    progress = Progress(period, first, last)
    start, end = _moment(first, False), _moment(last, True)
    selected = _tasks(subject)
    progress.task_count = selected.count()
    progress.rate_before = _rate(selected, first - timedelta(days=1))
    progress.rate_after = _rate(selected, last)
    status_at_end = _task_history(selected, start, end, progress)
    progress.overdue = _overdue(selected, last, status_at_end)
    _innovations(subject, start, end, progress)
    _adoptions(subject, progress)
    notes: list[SourceNote] = []
    _indicators(subject, progress, notes)
    return progress, notes


def summary_lines(subject: Subject, p: Progress) -> list[str]:
    """The 总体情况 paragraph: only what the tables below show."""
    after, before = p.rate_after, p.rate_before
    lines = []
    if p.task_count and after is not None and before is not None:
        lines.append(
            f"截至{p.last.year}年{p.last.month}月{p.last.day}日，{subject.label}试点任务"
            f"共 {p.task_count} 项，已实施 {after.implemented} 项，适用任务 {after.applicable} 项，"
            f"实施率 {after.text}（上期末 {before.text}）。"
        )
    else:
        lines.append(f"{subject.label}尚未录入试点任务。")
    lines.append(
        f"{p.label}，试点任务状态变化 {len(p.changes)} 次，新增实施 {len(p.implemented)} 项；"
        f"新登记制度创新成果 {len(p.new_innovations)} 项，入选 {len(p.decisions)} 项；"
        f"复制推广事项新落地 {len(p.adoptions)} 项；本期统计指标 {len(p.indicators)} 项。"
    )
    if p.overdue:
        lines.append(f"截至期末，已过完成时限尚未实施的任务 {len(p.overdue)} 项。")
    return lines


def default_progress_sections(subject: Subject, period: Period) -> dict[str, str]:
    return {
        "summary": "",
        "outlook": f"（请填写{subject.label}下一{'月' if period.kind == 'month' else '季度'}"
        "的重点工作。）",
    }


def progress_title(subject: Subject, period: Period) -> str:
    return f"{subject.label}{period.label}工作进展"


def build_progress(
    subject: Subject, period_code: str, sections: dict[str, str] | None = None, title: str = ""
) -> Report:
    """The month's or quarter's progress report of a zone, an area or a province."""
    period = report_period(period_code)
    progress, notes = collect(subject, period)
    report = Report(
        kind="progress",
        title=title or progress_title(subject, period),
        subject=subject,
        year=period.year,
        generated=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        sections=default_progress_sections(subject, period) | (sections or {}),
        standing=summary_lines(subject, progress),
        notes=notes,
    )
    report.progress = progress
    return report


def province_subjects() -> list[Subject]:
    provinces = sorted(set(Zone.objects.values_list("province", flat=True)))
    return [Subject(Kind.PROVINCE, p, p) for p in provinces if p]
