from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from zimao.zones.models import Zone

from .lifecycle import TransitionError, innovation_transition
from .models import Domain, Innovation, PilotTask
from .selectors import implementation_rates, month_ends, rate_history
from .services import (
    EditConflict,
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
    request: HttpRequest, by: Literal["zone", "plan", "area", "domain"] = "zone", zone: str = ""
) -> list[dict[str, object]]:
    """Implementation rate (implemented ÷ all but not applicable) per zone, plan or domain."""
    return [
        {"key": r.key, "implemented": r.implemented, "applicable": r.applicable, "rate": r.rate}
        for r in implementation_rates(by, zone=zone)
    ]


@router.get("/implementation/history", response=list[RateOut])
def implementation_history_api(
    request: HttpRequest, zone: str = "", months: int = 12
) -> list[dict[str, object]]:
    """The rate at the end of each of the last `months` months (from recorded status changes)."""
    days = month_ends(max(1, min(months, 120)))
    return [
        {"key": r.key, "implemented": r.implemented, "applicable": r.applicable, "rate": r.rate}
        for r in rate_history(days, zone=zone)
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
    title: str
    zone: str
    area: str | None = None
    domain: str | None = None
    mechanism: str = ""


class InnovationPatch(Schema):
    version: int
    title: str | None = None
    mechanism: str | None = None
    domain: str | None = None


class TransitionIn(Schema):
    to_state: str
    reason: str
    selection: str = ""


class TaskProgressIn(Schema):
    version: int
    status: str | None = None
    evidence: str | None = None


class ErrorBody(Schema):
    detail: str


def conflict_body(exc: EditConflict) -> dict[str, object]:
    """409 body: the message and, per changed field, [yours, current]."""
    return {"detail": str(exc), "changes": {k: list(v) for k, v in exc.changes.items()}}


@router.get("/innovations", response=list[InnovationOut], tags=["innovations"])
@paginate
def list_innovations(request: HttpRequest, zone: str = "", state: str = "") -> object:
    """Innovations the caller may see (published ones for the public)."""
    innovations = visible_innovations(request.user).select_related("zone", "area", "domain")
    if zone:
        innovations = innovations.filter(zone__code=zone)
    if state:
        innovations = innovations.filter(state=state)
    return innovations


@router.post(
    "/innovations",
    response={201: InnovationOut, 403: ErrorBody, 422: ErrorBody},
    auth=django_auth,
    tags=["innovations"],
)
def create_innovation(request: HttpRequest, body: InnovationIn) -> tuple[int, object]:
    zone = Zone.objects.filter(code=body.zone).first()
    if zone is None:
        raise HttpError(422, f"unknown zone {body.zone!r}")
    area = zone.areas.filter(name_zh=body.area).first() if body.area else None
    if body.area and area is None:
        raise HttpError(422, f"{body.area!r} is not an area of {zone.code}")
    domain = Domain.objects.filter(code=body.domain).first() if body.domain else None
    innovation = innovation_create(
        user=request.user,
        title=body.title,
        zone=zone,
        area=area,
        domain=domain,
        mechanism=body.mechanism,
    )
    return 201, innovation


@router.patch(
    "/innovations/{innovation_id}",
    response={200: InnovationOut, 403: ErrorBody, 404: ErrorBody, 409: dict},
    auth=django_auth,
    tags=["innovations"],
)
def update_innovation(request: HttpRequest, innovation_id: int, body: InnovationPatch) -> object:
    """Edit an innovation loaded at `version`; a stale version gets 409 with what changed."""
    innovation = get_object_or_404(visible_innovations(request.user), pk=innovation_id)
    changes = body.dict(exclude_unset=True, exclude={"version"})
    if "domain" in changes:
        changes["domain"] = Domain.objects.filter(code=changes["domain"]).first()
    try:
        return innovation_update(
            user=request.user, innovation=innovation, version=body.version, **changes
        )
    except EditConflict as exc:
        return 409, conflict_body(exc)


@router.post(
    "/innovations/{innovation_id}/transitions",
    response={200: InnovationOut, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody},
    auth=django_auth,
    tags=["innovations"],
)
def transition_innovation(request: HttpRequest, innovation_id: int, body: TransitionIn) -> object:
    innovation = get_object_or_404(visible_innovations(request.user), pk=innovation_id)
    try:
        return innovation_transition(
            user=request.user,
            innovation=innovation,
            to_state=body.to_state,
            reason=body.reason,
            selection=body.selection,
        )
    except TransitionError as exc:
        raise HttpError(422, str(exc)) from exc


@router.post(
    "/tasks/{task_id}/progress",
    response={200: dict, 403: ErrorBody, 404: ErrorBody, 409: dict, 422: ErrorBody},
    auth=django_auth,
    tags=["pilot tasks"],
)
def task_progress(request: HttpRequest, task_id: int, body: TaskProgressIn) -> object:
    task = get_object_or_404(PilotTask.objects.select_related("plan__zone"), pk=task_id)
    changes = body.dict(exclude_unset=True, exclude={"version"})
    if "status" in changes and changes["status"] not in PilotTask.Status.values:
        raise HttpError(422, f"unknown status {changes['status']!r}")
    try:
        task = task_update(user=request.user, task=task, version=body.version, **changes)
    except EditConflict as exc:
        return 409, conflict_body(exc)
    return {
        "id": task.pk,
        "status": task.status,
        "evidence": task.evidence,
        "version": task.version,
    }
