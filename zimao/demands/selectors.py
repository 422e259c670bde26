"""Reads of enterprise demands: every list through the access layer, every deadline against
`zimao.reforms.deadlines.today()`, every panel bounded."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet

from zimao.accounts.access import Action, Actor, memberships_of, visible
from zimao.accounts.models import Role, User
from zimao.reforms.models import Innovation
from zimao.search.backends import Filters
from zimao.search.selectors import search

from .models import Assignment, AuthorityRequest, Demand, Enterprise

LIMIT = 20
Status = Demand.Status
OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED)


def enterprise_of(user: Actor) -> Enterprise | None:
    """The enterprise a signed-in account speaks for, if it is an enterprise account."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    if not hasattr(user, "_zimao_enterprise"):
        found = Enterprise.objects.filter(user=user).select_related("zone", "area").first()
        user._zimao_enterprise = found  # type: ignore[attr-defined]
    cached: Enterprise | None = user._zimao_enterprise  # type: ignore[attr-defined]
    return cached


def _pk(user: Actor) -> int:
    return int(getattr(user, "pk", None) or 0)


def is_office(user: Actor) -> bool:
    return any(m.role in (Role.ZONE, Role.AREA, Role.NATIONAL) for m in memberships_of(user))


def demands_for(user: Actor) -> QuerySet[Demand]:
    """The demands the user may read: an enterprise its own (and published answers), an
    office those of its scope, the public the published ones."""
    return visible(user, Demand.objects.all()).select_related("zone", "area", "enterprise")


def demand_list(
    user: Actor, *, status: str = "", industry: str = "", zone: str = "", mine: bool = False
) -> QuerySet[Demand]:
    found = demands_for(user)
    if mine:
        enterprise = enterprise_of(user)
        found = found.filter(enterprise=enterprise) if enterprise else found.none()
    if status in Status.values:
        found = found.filter(status=status)
    if industry:
        found = found.filter(industry=industry[:50])
    if zone:
        found = found.filter(zone__code=zone[:40])
    return found.order_by("-created_at", "-id")


def shows_enterprise(user: Actor, demand: Demand) -> bool:
    """A published demand is shown without the enterprise's name to anyone but it and the
    offices of its scope (personal and business data stay with those who handle it)."""
    from .services import is_office_for

    own = isinstance(user, User) and demand.enterprise.user_id == user.pk
    return own or is_office_for(user, demand, Action.VIEW)


def enterprises_to_verify(user: Actor) -> QuerySet[Enterprise]:
    return (
        visible(user, Enterprise.objects.filter(verified_at=None), Action.EDIT)
        .exclude(user_id=_pk(user))
        .select_related("zone", "area", "user")
        .order_by("created_at", "id")
    )


def enterprises_for_office(user: Actor) -> QuerySet[Enterprise]:
    """Verified enterprises an office may submit for."""
    return (
        visible(user, Enterprise.objects.exclude(verified_at=None), Action.EDIT)
        .exclude(user_id=_pk(user))
        .select_related("zone", "area")
        .order_by("name", "id")
    )


def assignments_for(user: Actor) -> QuerySet[Assignment]:
    """Assignments the user may read: an office's scope, or those naming the user as contact."""
    return visible(user, Assignment.objects.all()).select_related(
        "demand__zone", "demand__area", "unit"
    )


def open_assignments(user: Actor) -> QuerySet[Assignment]:
    return assignments_for(user).filter(status=Assignment.Status.OPEN)


@dataclass
class Deadlines:
    overdue: list[tuple[Assignment, int]]
    overdue_count: int
    due_soon: list[tuple[Assignment, int]]
    due_soon_count: int
    days: int


def deadlines(user: Actor, today: date) -> Deadlines:
    """Open assignments past their deadline (longest first) and due within DUE_SOON_DAYS."""
    mine = open_assignments(user)
    late = mine.filter(due_date__lt=today).order_by("due_date", "id")
    soon_end = today + timedelta(days=settings.DUE_SOON_DAYS)
    soon = mine.filter(due_date__gte=today, due_date__lte=soon_end).order_by("due_date", "id")
    return Deadlines(
        [(a, (today - a.due_date).days) for a in late[:LIMIT]],
        late.count(),
        [(a, (a.due_date - today).days) for a in soon[:LIMIT]],
        soon.count(),
        settings.DUE_SOON_DAYS,
    )


def to_triage(user: Actor) -> QuerySet[Demand]:
    return (
        visible(user, Demand.objects.filter(status=Status.SUBMITTED), Action.EDIT)
        .exclude(enterprise__user_id=_pk(user))
        .select_related("zone", "area", "enterprise")
        .order_by("created_at", "id")
    )


def authority_requests_for(
    user: Actor, *, status: str = "", zone: str = "", domain: str = ""
) -> QuerySet[AuthorityRequest]:
    found = visible(user, AuthorityRequest.objects.all()).select_related(
        "zone", "area", "domain", "demand", "innovation"
    )
    if status in AuthorityRequest.Status.values:
        found = found.filter(status=status)
    if zone:
        found = found.filter(zone__code=zone[:40])
    if domain:
        found = found.filter(domain__code=domain[:40])
    return found.order_by("zone__code", "domain__code", "-created_at", "-id")


def open_requests_by_zone_and_field(user: Actor) -> list[dict[str, Any]]:
    """Open authority requests counted per zone and field (the national office's view)."""
    rows = (
        authority_requests_for(user, status=AuthorityRequest.Status.OPEN)
        .values("zone__code", "zone__short_name_zh", "domain__code", "domain__name_zh")
        .annotate(n=Count("id"))
        .order_by("zone__code", "domain__code")
    )
    return list(rows)


# -- similar -------------------------------------------------------------------------------


@dataclass
class Near:
    title: str
    url: str
    kind: str
    score: float
    status: str = ""


def _text(demand: Demand) -> str:
    return f"{demand.title} {demand.problem[:300]} {demand.blocker[:300]} {demand.change[:300]}"


CANDIDATES = 300


def similar_demands(user: Actor, demand: Demand, limit: int = 5) -> list[Near]:
    """The demands most like this one among the latest the user may read (n-gram cosine)."""
    from zimao.text.similarity import vectorize

    others = list(
        demands_for(user)
        .exclude(pk=demand.pk)
        .exclude(status=Status.REJECTED)
        .order_by("-created_at", "-id")[:CANDIDATES]
    )
    if not others:
        return []
    matrix = vectorize([_text(demand), *(_text(o) for o in others)])
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    ranked = sorted(zip(scores, others, strict=True), key=lambda p: (-p[0], p[1].pk))
    return [
        Near(o.title, o.get_absolute_url(), "demand", round(float(s), 3), o.get_status_display())
        for s, o in ranked[:limit]
        if s >= 0.1
    ]


def similar_reforms(user: Actor, demand: Demand, limit: int = 5) -> list[Near]:
    """Innovations and replicated items on the same subject, from the search index: often the
    answer is "already replicated, here is how"."""
    query = demand.title[:60]  # the blocker's wording adds probes, not precision
    # One search for both kinds: each search costs a dozen index probes.
    results = search(query, Filters(kind="item,innovation"), user=user, limit=2 * limit)
    found: list[Near] = []
    for kind in ("item", "innovation"):
        found += [
            Near(r.entry.title, r.entry.url, kind, round(r.score, 3))
            for r in results.results
            if r.entry.kind == kind
        ][:limit]
    return found


# -- measures ------------------------------------------------------------------------------


@dataclass
class Measure:
    key: str
    label: str
    demands: int = 0
    answered: int = 0
    resolved_share: float | None = None
    mean_days: float | None = None
    assignments: int = 0
    on_time: int = 0
    on_time_share: float | None = None
    satisfaction: float | None = None
    promoted: int = 0
    promoted_share: float | None = None
    requests: int = 0
    granted: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole * 100, 1) if whole else None


def _days(delta: Any) -> float | None:
    if delta is None:
        return None
    if isinstance(delta, timedelta):
        return round(delta.total_seconds() / 86400, 1)
    return round(float(delta) / 86400 / 1_000_000, 1)  # microseconds (SQLite)


def measures_by_zone(user: Actor, year: int | None = None) -> list[Measure]:
    """Per zone: demands, resolution rate (answered ÷ accepted), mean days to answer, on-time
    answers, satisfaction, share promoted, authority requests granted. With `year`: only the
    demands submitted in that (local) year, their assignments, and the authority requests
    raised in it. A zone without demands has no row."""
    demands = demands_for(user).exclude(status__in=(Status.MERGED,))
    assignments = assignments_for(user)
    requests = authority_requests_for(user)
    if year is not None:
        demands = demands.filter(created_at__year=year)
        assignments = assignments.filter(demand__created_at__year=year)
        requests = requests.filter(created_at__year=year)
    rows: dict[str, Measure] = {}
    for row in demands.values("zone__code", "zone__short_name_zh").annotate(
        n=Count("id"),
        accepted=Count("id", filter=~Q(status__in=(Status.SUBMITTED, Status.REJECTED))),
        answered=Count("id", filter=Q(status=Status.ANSWERED)),
        rating=Avg("rating"),
        promoted=Count("id", filter=Q(innovation__isnull=False)),
        wait=Avg(F("answered_at") - F("created_at"), filter=Q(status=Status.ANSWERED)),
    ):
        m = Measure(row["zone__code"], row["zone__short_name_zh"], demands=row["n"])
        m.answered = row["answered"]
        m.resolved_share = _share(row["answered"], row["accepted"])
        m.mean_days = _days(row["wait"])
        m.satisfaction = round(row["rating"], 2) if row["rating"] is not None else None
        m.promoted = row["promoted"]
        m.promoted_share = _share(row["promoted"], row["accepted"])
        rows[m.key] = m
    for row in (
        assignments.filter(status=Assignment.Status.ANSWERED)
        .values("demand__zone__code")
        .annotate(
            n=Count("id"), on_time=Count("id", filter=Q(answered_at__date__lte=F("due_date")))
        )
    ):
        found = rows.get(row["demand__zone__code"])
        if found is not None:
            found.assignments, found.on_time = row["n"], row["on_time"]
            found.on_time_share = _share(row["on_time"], row["n"])
    for row in requests.values("zone__code").annotate(
        n=Count("id"), granted=Count("id", filter=Q(status="granted"))
    ):
        found = rows.get(row["zone__code"])
        if found is not None:
            found.requests, found.granted = row["n"], row["granted"]
    return sorted(rows.values(), key=lambda m: m.key)


def measures_by_department(user: Actor) -> list[Measure]:
    """Per department: assignments, answered, on time, mean days from assignment to answer."""
    result = []
    for row in (
        assignments_for(user)
        .values("unit_id", "unit__name", "unit__zone__short_name_zh")
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(status=Assignment.Status.ANSWERED)),
            on_time=Count(
                "id",
                filter=Q(status=Assignment.Status.ANSWERED, answered_at__date__lte=F("due_date")),
            ),
            wait=Avg(F("answered_at") - F("created_at"), filter=Q(status="answered")),
            rating=Avg("demand__rating"),
        )
        .order_by("unit__zone__short_name_zh", "unit__name")
    ):
        label = f"{row['unit__zone__short_name_zh']} · {row['unit__name']}"
        m = Measure(str(row["unit_id"]), label, assignments=row["n"], answered=row["answered"])
        m.on_time = row["on_time"]
        m.on_time_share = _share(row["on_time"], row["answered"])
        m.resolved_share = _share(row["answered"], row["n"])
        m.mean_days = _days(row["wait"])
        m.satisfaction = round(row["rating"], 2) if row["rating"] is not None else None
        result.append(m)
    return result


def heat(user: Actor) -> list[dict[str, Any]]:
    """Demands counted by industry and zone: where the pain points gather."""
    return list(
        demands_for(user)
        .exclude(status=Status.REJECTED)
        .values("industry", "zone__short_name_zh")
        .annotate(n=Count("id"))
        .order_by("-n", "industry", "zone__short_name_zh")[:50]
    )


def demands_of_innovation(user: Actor, innovation: Innovation) -> QuerySet[Demand]:
    """The demands behind an innovation that the reader may see."""
    return demands_for(user).filter(innovation=innovation).order_by("created_at", "id")


@dataclass
class Desk:
    to_triage: int
    overdue: int
    due_soon: int
    open_requests: int


def desk(user: Actor, today: date) -> Desk | None:
    """The counts the main workbench shows an office (None for everyone else)."""
    if not memberships_of(user):
        return None
    soon_end = today + timedelta(days=settings.DUE_SOON_DAYS)
    mine = open_assignments(user)
    return Desk(
        to_triage=to_triage(user).count(),
        overdue=mine.filter(due_date__lt=today).count(),
        due_soon=mine.filter(due_date__gte=today, due_date__lte=soon_end).count(),
        open_requests=authority_requests_for(user, status=AuthorityRequest.Status.OPEN).count(),
    )
