from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic.json_schema import SkipJsonSchema

from zimao.accounts.access import visible
from zimao.lib.schemas import ERRORS, NO_NUL, Code, ConflictOut, Id, Text
from zimao.vocab.models import Domain
from zimao.zones.models import Plan, Zone

from . import deadlines
from .lifecycle import TransitionError, innovation_recommend, innovation_transition
from .models import Innovation, PilotTask, ResponsibleUnit
from .selectors import month_ends, zone_rate_history, zone_rates
from .services import (
    innovation_create,
    innovation_update,
    task_update,
    visible_innovations,
)

router = Router(tags=["pilot tasks"])


class RateOut(Schema):
    key: str
    implemented: int
    applicable: int
    rate: float | None


@router.get("/implementation", response=list[RateOut])
def implementation_api(
    request: HttpRequest, by: Literal["zone", "plan", "area", "domain"] = "zone", zone: Text = ""
) -> list[dict[str, object]]:
    """Implementation rate (implemented ÷ all but not applicable) per zone, plan or domain."""
    return [
        {"key": r.key, "implemented": r.implemented, "applicable": r.applicable, "rate": r.rate}
        for r in zone_rates(by, zone)
    ]


@router.get("/implementation/history", response={200: list[RateOut], **ERRORS})
def implementation_history_api(
    request: HttpRequest, zone: Code = "", months: Annotated[int, Field(ge=1, le=120)] = 12
) -> list[dict[str, object]]:
    """The rate at the end of each of the last `months` months (from recorded status changes)."""
    days = month_ends(months)
    return [
        {"key": r.key, "implemented": r.implemented, "applicable": r.applicable, "rate": r.rate}
        for r in zone_rate_history(days, zone)
    ]


class InnovationOut(Schema):
    id: int
    title: str
    zone: str | None
    area: str | None
    domain: str | None
    mechanism: str
    state: str
    selection: str
    published: bool
    version: int

    @staticmethod
    def resolve_zone(obj: Innovation) -> str | None:
        return obj.zone.code if obj.zone else None

    @staticmethod
    def resolve_area(obj: Innovation) -> str | None:
        return obj.area.name_zh if obj.area else None

    @staticmethod
    def resolve_domain(obj: Innovation) -> str | None:
        return obj.domain.code if obj.domain else None


class InnovationIn(Schema):
    title: str = Field(min_length=1, max_length=300, pattern=NO_NUL)
    zone: Code
    area: Text | None = None
    domain: Code | None = None
    mechanism: str = Field("", max_length=20000, pattern=NO_NUL)
    token: str | None = Field(None, max_length=64, pattern=NO_NUL)


class InnovationPatch(Schema):
    """Fields left out stay as they are; null is not a value for them (the schema says so)."""

    version: Id
    title: (
        Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)] | SkipJsonSchema[None]
    ) = None
    mechanism: Annotated[str, Field(max_length=20000, pattern=NO_NUL)] | SkipJsonSchema[None] = None
    domain: Code | None = None


class TransitionIn(Schema):
    version: Id
    to_state: Literal["proposed", "piloting", "achieved", "submitted", "selected", "withdrawn"]
    reason: str = Field(min_length=1, max_length=2000, pattern=NO_NUL)
    selection: Literal[
        "", "best_practice", "top_ten", "replicated_national", "replicated_provincial"
    ] = ""


class TaskProgressIn(Schema):
    """Fields left out stay as they are; null is not a value for them (the schema says so)."""

    version: Id
    status: (
        Literal["not_started", "in_progress", "implemented", "not_applicable"]
        | SkipJsonSchema[None]
    ) = None
    evidence: Annotated[str, Field(max_length=20000, pattern=NO_NUL)] | SkipJsonSchema[None] = None
    # null clears the due date
    due_date: date | None = None
    # ids from the zone's catalogue of responsible units (GET /zones/{code}/units)
    units: Annotated[list[Id], Field(max_length=50)] | SkipJsonSchema[None] = None


def _code(model: Any, field: str, value: str | None) -> Any:
    """A record by code, or a 422 naming the field."""
    if value is None or value == "":
        return None
    record = model.objects.filter(code=value).first()
    if record is None:
        raise ValidationError({field: _("未知的代码“%(v)s”") % {"v": value}})
    return record


@router.get("/innovations", response={200: list[InnovationOut], **ERRORS}, tags=["innovations"])
@paginate
def list_innovations(request: HttpRequest, zone: Code = "", state: Code = "") -> object:
    """Innovations the caller may see (published ones for the public)."""
    innovations = visible_innovations(request.user).select_related("zone", "area", "domain")
    if zone:
        innovations = innovations.filter(zone__code=zone)
    if state:
        innovations = innovations.filter(state=state)
    return innovations


@router.post(
    "/innovations",
    response={201: InnovationOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
    tags=["innovations"],
)
def create_innovation(request: HttpRequest, body: InnovationIn) -> tuple[int, object]:
    """Create an innovation in the caller's scope; a repeated `token` returns the first one."""
    zone = _code(Zone, "zone", body.zone)
    area = zone.areas.filter(name_zh=body.area).first() if body.area and zone else None
    if body.area and area is None:
        raise ValidationError({"area": _("“%(v)s”不是该试验区的片区") % {"v": body.area}})
    innovation = innovation_create(
        user=request.user,
        title=body.title,
        zone=zone,
        area=area,
        domain=_code(Domain, "domain", body.domain),
        mechanism=body.mechanism,
        token=body.token,
    )
    return 201, innovation


def _visible(request: HttpRequest, innovation_id: int) -> Innovation:
    return get_object_or_404(visible_innovations(request.user), pk=innovation_id)


@router.patch(
    "/innovations/{innovation_id}",
    response={200: InnovationOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
    tags=["innovations"],
)
def update_innovation(request: HttpRequest, innovation_id: Id, body: InnovationPatch) -> object:
    """Edit an innovation loaded at `version`; a stale version gets 409 with what changed."""
    innovation = _visible(request, innovation_id)
    changes = body.dict(exclude_unset=True, exclude={"version"})
    for name in ("title", "mechanism"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: _("不能为空")})
    if "domain" in changes:
        changes["domain"] = _code(Domain, "domain", changes["domain"])
    return innovation_update(
        user=request.user, innovation=innovation, version=body.version, **changes
    )


@router.post(
    "/innovations/{innovation_id}/transitions",
    response={200: InnovationOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
    tags=["innovations"],
)
def transition_innovation(request: HttpRequest, innovation_id: Id, body: TransitionIn) -> object:
    """Move an innovation one lifecycle step (with the version the caller loaded)."""
    innovation = _visible(request, innovation_id)
    try:
        return innovation_transition(
            user=request.user,
            innovation=innovation,
            to_state=body.to_state,
            reason=body.reason,
            selection=body.selection,
            version=body.version,
        )
    except TransitionError as exc:
        raise ValidationError({"to_state": str(exc)}) from exc


class RecommendationIn(Schema):
    version: Id
    selection: Literal["best_practice", "top_ten", "replicated_national"]
    reason: str = Field(min_length=1, max_length=2000, pattern=NO_NUL)


@router.post(
    "/innovations/{innovation_id}/recommendations",
    response={200: InnovationOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
    tags=["innovations"],
)
def recommend_innovation(request: HttpRequest, innovation_id: Id, body: RecommendationIn) -> object:
    """A provincial office recommends a submitted innovation for a national designation,
    which only the national office confers."""
    innovation = _visible(request, innovation_id)
    try:
        return innovation_recommend(
            user=request.user,
            innovation=innovation,
            selection=body.selection,
            reason=body.reason,
            version=body.version,
        )
    except TransitionError as exc:
        raise ValidationError({"selection": str(exc)}) from exc


class UnitOut(Schema):
    id: int
    name: str


class TaskOut(Schema):
    id: int
    number: str
    status: str
    evidence: str
    due_date: date | None
    units: list[UnitOut]
    version: int

    @staticmethod
    def resolve_units(task: PilotTask) -> list[dict[str, object]]:
        return [{"id": u.pk, "name": u.name} for u in task.units.all()]


@router.get("/zones/{code}/units", response={200: list[UnitOut], **ERRORS})
def zone_units_api(request: HttpRequest, code: Code) -> object:
    """A zone's catalogue of responsible units (责任单位), by name."""
    zone = get_object_or_404(Zone, code=code)
    return list(ResponsibleUnit.objects.filter(zone=zone))


@router.get("/plans/{plan_id}/tasks", response={200: list[TaskOut], **ERRORS})
@paginate
def plan_tasks_api(
    request: HttpRequest,
    plan_id: Id,
    unit: Id | None = None,
    due: Literal["", "overdue", "soon"] = "",
) -> object:
    """A plan's pilot tasks, optionally only those of one responsible unit, or only the
    overdue or due-soon ones (open tasks, measured against today)."""
    plan = get_object_or_404(Plan, pk=plan_id)
    selected = visible(request.user, plan.tasks.prefetch_related("units")).order_by("id")
    if unit is not None:
        selected = selected.filter(units=unit)
    return deadlines.filter_due(selected, due, deadlines.today())


@router.post(
    "/tasks/{task_id}/progress",
    response={200: TaskOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
    tags=["pilot tasks"],
)
def task_progress(request: HttpRequest, task_id: Id, body: TaskProgressIn) -> object:
    """Record a pilot task's progress (with the version the caller loaded)."""
    task = get_object_or_404(PilotTask.objects.select_related("plan__zone"), pk=task_id)
    changes = body.dict(exclude_unset=True, exclude={"version"})
    if changes.get("status", "") is None or changes.get("evidence", "") is None:
        raise ValidationError({"status": _("不能为空")})
    if "units" in changes:
        if changes["units"] is None:
            raise ValidationError({"units": _("不能为空")})
        wanted = set(changes["units"])
        found = list(ResponsibleUnit.objects.filter(pk__in=wanted, zone_id=task.plan.zone_id))
        if len(found) != len(wanted):
            raise ValidationError({"units": _("责任单位须来自本试验区的责任单位名录")})
        changes["units"] = found
    return task_update(user=request.user, task=task, version=body.version, **changes)
