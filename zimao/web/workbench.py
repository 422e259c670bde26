"""The workbench (工作台): what each signed-in role looks at first every day.

- zone and area offices: their implementation rate and its trend, tasks still open, replicated
  items still to put in place, their innovations and where each stands;
- provincial and national offices: innovations waiting for their decision, the zones falling
  behind, recent changes they may see;
- researchers: recent documents, saved searches, data downloads.

Every panel reads through the access layer and is bounded (aggregates and LIMIT), so the cost
of the page does not grow with the database.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from zimao.accounts.access import (
    Action,
    Actor,
    Scope,
    allowed,
    can_any,
    memberships_of,
    scope_key,
    visible,
)
from zimao.accounts.models import Role, User
from zimao.alignment.selectors import office_summary
from zimao.audit.display import describe
from zimao.audit.selectors import AuditFilters, audit_events
from zimao.documents.models import Document
from zimao.documents.selectors import document_list
from zimao.lib.pagecache import remembered
from zimao.reforms import deadlines
from zimao.reforms.models import Innovation, PilotTask, ScoreSheet
from zimao.reforms.selectors import (
    Rate,
    chart_days,
    implementation_rates,
    open_tasks,
    rate_history,
    rate_of,
)
from zimao.replication.models import Adoption, ReplicationItem
from zimao.replication.selectors import Progress, items_expected_of, progress_by_zone
from zimao.search.models import SavedSearch
from zimao.zones.models import Area, Plan, Zone

LIMIT = 8


def percent(rate: Rate) -> float | None:
    return round(rate.rate * 100, 1) if rate.rate is not None else None


def trend(tasks: Any) -> list[dict[str, object]]:
    """Month-end rates from where the data starts, for the small chart."""
    return [{"day": r.key[:7], "rate": percent(r)} for r in rate_history(chart_days(tasks), tasks)]


@dataclass
class ToAdopt:
    zone: Zone
    items: list[ReplicationItem]
    count: int
    expected: int


def _office_zones(user: Actor) -> list[tuple[Zone, Area | None]]:
    seen: dict[int, tuple[Zone, Area | None]] = {}
    for m in memberships_of(user):
        if m.role == Role.ZONE and m.zone is not None:
            seen[m.zone.pk] = (m.zone, None)
        elif m.role == Role.AREA and m.area is not None:
            seen.setdefault(m.area.zone.pk, (m.area.zone, m.area))
    return list(seen.values())[:3]


def items_to_adopt(user: Actor, zone: Zone, area: Area | None) -> ToAdopt:
    """Items the zone was asked to replicate that it (or the area) has not put in place or
    ruled out yet."""
    expected = visible(user, items_expected_of(zone.code, zone.province))
    settled = Adoption.objects.filter(zone=zone, status__in=["adopted", "not_applicable"])
    done = visible(user, settled.filter(area=None))
    if area is not None:
        done = done | visible(user, settled.filter(area=area))
    remaining = expected.exclude(pk__in=done.values("item_id"))
    items = list(remaining.select_related("batch").order_by("-batch__year", "seq", "code")[:LIMIT])
    return ToAdopt(zone, items, remaining.count(), expected.count())


@dataclass
class Standing:
    innovation: Innovation
    last_step: Any


def own_innovations(user: Actor) -> tuple[list[Standing], dict[str, int]]:
    """The innovations the user's office may edit: newest first, and how many per state."""
    mine = visible(user, Innovation.objects.all(), Action.EDIT)
    counts = {row["state"]: row["n"] for row in mine.values("state").annotate(n=Count("id"))}
    recent = list(
        mine.select_related("zone", "area")
        .annotate(last_step=Max("transitions__at"))
        .order_by("-created_at", "-id")[:LIMIT]
    )
    by_state = {
        str(label): counts.get(value, 0)
        for value, label in Innovation.State.choices
        if counts.get(value)
    }
    return [Standing(i, getattr(i, "last_step", None)) for i in recent], by_state


def deadline_lists(mine: QuerySet[PilotTask], today: date) -> dict[str, Any]:
    """The office's overdue and due-soon tasks against `today` (never read from the clock
    here: the caller passes the day), with their counts."""
    late = deadlines.overdue(mine, today)
    soon = deadlines.due_soon(mine, today)
    related = ("plan__zone", "area")
    return {
        "has_deadlines": mine.filter(due_date__isnull=False).exists(),
        "overdue": [
            (t, (today - t.due_date).days)
            for t in late.select_related(*related)[:LIMIT]
            if t.due_date
        ],
        "overdue_count": late.count(),
        "due_soon": [
            (t, (t.due_date - today).days)
            for t in soon.select_related(*related)[:LIMIT]
            if t.due_date
        ],
        "due_soon_count": soon.count(),
        "due_soon_days": settings.DUE_SOON_DAYS,
    }


def office_panel(user: Actor, today: date) -> dict[str, Any] | None:
    if not any(m.role in (Role.ZONE, Role.AREA) for m in memberships_of(user)):
        return None
    mine = visible(user, PilotTask.objects.all(), Action.EDIT)
    statuses = {row["status"]: row["n"] for row in mine.values("status").annotate(n=Count("id"))}
    innovations, by_state = own_innovations(user)
    zones = _office_zones(user)
    plans = Plan.objects.filter(zone__in=[z for z, _ in zones]).select_related("zone")[:LIMIT]
    return {
        "rate": rate_of(mine),
        "trend": trend(mine),
        "statuses": [(label, statuses.get(value, 0)) for value, label in PilotTask.Status.choices],
        "open_tasks": open_tasks(mine, LIMIT),
        "open_count": statuses.get("not_started", 0) + statuses.get("in_progress", 0),
        "to_adopt": [items_to_adopt(user, zone, area) for zone, area in zones],
        "innovations": innovations,
        "by_state": by_state,
        "plans": list(plans),
        "can_create": can_any(user, Action.CREATE, Innovation),
        "alignment": office_summary(user, LIMIT),
        **deadline_lists(mine, today),
    }


@dataclass
class Behind:
    zone: Zone
    rate: Rate | None
    progress: Progress | None

    @property
    def rate_pct(self) -> float | None:
        return percent(self.rate) if self.rate else None

    @property
    def adoption_pct(self) -> float | None:
        if self.progress is None or not self.progress.expected:
            return None
        return round(self.progress.adopted / self.progress.expected * 100, 1)

    @property
    def has_data(self) -> bool:
        """Pilot tasks to rate, or at least one item reported as adopted or under way."""
        reported = self.progress is not None and (
            self.progress.adopted + self.progress.in_progress > 0
        )
        return self.rate_pct is not None or reported


def zones_in_scope(user: Actor) -> list[Zone]:
    """The zones whose records the user may change (a province's zones, or all)."""
    return [
        z
        for z in Zone.objects.all()
        if allowed(user, Action.EDIT, Scope(zone=z.code, province=z.province))
    ]


def zones_behind(user: Actor, zones: list[Zone], limit: int = 5) -> tuple[list[Behind], list[Zone]]:
    """The zones with data (pilot tasks or adoptions), lowest implementation rate first, then
    lowest adoption progress; and the zones without data, which are not ranked: a zone that
    reports nothing is not ahead of one that reports a low rate."""
    tasks = visible(user, PilotTask.objects.all(), Action.EDIT)
    rates = {r.key: r for r in implementation_rates("zone", base=tasks)}
    progress = progress_by_zone(zones)
    rows = [Behind(z, rates.get(z.code), progress.get(z.code)) for z in zones]
    ranked = [row for row in rows if row.has_data]

    def order(row: Behind) -> tuple[float, float]:
        rate = row.rate_pct if row.rate_pct is not None else 101.0
        adoption = row.adoption_pct if row.adoption_pct is not None else 101.0
        return (rate, adoption)

    return sorted(ranked, key=order)[:limit], [row.zone for row in rows if not row.has_data]


@dataclass
class Waiting:
    innovation: Innovation
    scored: bool


def decider_panel(user: Actor, today: date) -> dict[str, Any] | None:
    if not can_any(user, Action.SELECT, Innovation):
        return None
    waiting = visible(
        user, Innovation.objects.filter(state=Innovation.State.SUBMITTED), Action.SELECT
    )
    shown = list(waiting.select_related("zone", "domain").order_by("created_at", "id")[:LIMIT])
    scored = (
        set(
            visible(
                user, ScoreSheet.objects.filter(innovation__in=shown, reviewer_id=user.pk)
            ).values_list("innovation_id", flat=True)
        )
        if isinstance(user, User)
        else set()
    )
    zones = zones_in_scope(user)
    behind, no_data = zones_behind(user, zones)
    personal = [SavedSearch._meta.label_lower]  # someone's saved searches are not news
    events = audit_events(AuditFilters(), user=user).exclude(record_type__in=personal)[:LIMIT]
    return {
        "waiting": [Waiting(i, i.pk in scored) for i in shown],
        "waiting_count": waiting.count(),
        "behind": behind,
        "no_data": no_data,
        "zone_count": len(zones),
        "changes": describe(events),
        "deadlines": deadline_lists(visible(user, PilotTask.objects.all(), Action.EDIT), today),
    }


def researcher_panel(user: Actor) -> dict[str, Any] | None:
    if not any(m.role == Role.RESEARCHER for m in memberships_of(user)):
        return None
    return {"documents": list(document_list(user=user)[:LIMIT])}


DOWNLOADS = [
    (_("制度创新成果"), "reforms:innovations"),
    (_("复制推广落地情况（事项 × 自贸试验区）"), "replication:coverage"),
    (_("落地记录"), "replication:adoptions"),
    (_("指标观测值"), "indicators:list"),
]


def downloads() -> list[dict[str, str]]:
    out = []
    for label, name in DOWNLOADS:
        url = reverse(name)
        out.append({"label": str(label), "xlsx": f"{url}?format=xlsx", "csv": f"{url}?format=csv"})
    return out


def saved_searches(user: Actor) -> list[SavedSearch]:
    return list(visible(user, SavedSearch.objects.all())[:20])


@dataclass
class Workbench:
    office: dict[str, Any] | None = None
    decider: dict[str, Any] | None = None
    researcher: dict[str, Any] | None = None
    saved: list[SavedSearch] = field(default_factory=list)
    downloads: list[dict[str, str]] = field(default_factory=list)
    documents_allowed: bool = False


def workbench(user: Actor, today: date) -> Workbench:
    """Every panel the user's roles call for; deadlines are measured against `today`. The panels
    are remembered per user and day until the data they read changes (an office reloads its
    workbench all day; each panel costs a dozen aggregate queries)."""
    key = f"{scope_key(user)}:{today.isoformat()}"
    bench = Workbench(
        office=remembered("workbench.office", key, lambda: office_panel(user, today)),
        decider=remembered("workbench.decider", key, lambda: decider_panel(user, today)),
        researcher=remembered("workbench.researcher", key, lambda: researcher_panel(user)),
        saved=saved_searches(user),
        documents_allowed=can_any(user, Action.VIEW, Document),
    )
    if bench.researcher is not None:
        bench.downloads = downloads()
    return bench
