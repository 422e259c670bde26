"""Enterprise demands over JSON: the same services as the pages, the same access rules."""

from datetime import date
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from zimao.lib.schemas import ERRORS, NO_NUL, Code, ConflictOut, Id, Text
from zimao.reforms.models import ResponsibleUnit

from . import selectors, services
from .models import Assignment, AuthorityRequest, Demand

router = Router(tags=["enterprise demands"])
LongText = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]


class AssignmentOut(Schema):
    id: int
    unit: str
    due_date: date
    status: str
    answer: str

    @staticmethod
    def resolve_unit(obj: Assignment) -> str:
        return obj.unit.name


class DemandOut(Schema):
    id: int
    title: str
    zone: str
    area: str | None
    industry: str
    problem: str
    blocker: str
    change: str
    benchmark: str
    status: str
    reason: str
    public: bool
    rating: int | None
    innovation: int | None
    version: int
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_zone(obj: Demand) -> str:
        return obj.zone.code

    @staticmethod
    def resolve_area(obj: Demand) -> str | None:
        return obj.area.name_zh if obj.area else None

    @staticmethod
    def resolve_innovation(obj: Demand) -> int | None:
        return obj.innovation_id

    @staticmethod
    def resolve_assignments(obj: Demand) -> list[Assignment]:
        return list(obj.assignments.all())


class DemandIn(Schema):
    title: str = Field(min_length=1, max_length=120, pattern=NO_NUL)
    problem: LongText
    blocker: LongText
    industry: str = Field(min_length=1, max_length=50, pattern=NO_NUL)
    change: LongText
    benchmark: LongText = ""
    # an office submitting on an enterprise's behalf names it by its credit code
    enterprise: Code | None = None
    token: str | None = Field(None, max_length=64, pattern=NO_NUL)


class TriageIn(Schema):
    version: Id
    decision: Literal["accept", "reject", "merge"]
    reason: Annotated[str, Field(max_length=2000, pattern=NO_NUL)] = ""
    into: Id | None = None


class UnitDue(Schema):
    unit: Id  # from the zone's catalogue (GET /zones/{code}/units)
    due_date: date


class AssignIn(Schema):
    version: Id
    units: Annotated[list[UnitDue], Field(min_length=1, max_length=20)]


class AnswerIn(Schema):
    version: Id
    answer: Annotated[str, Field(min_length=1, max_length=10000, pattern=NO_NUL)]


class RateIn(Schema):
    version: Id
    rating: Annotated[int, Field(ge=1, le=5)]
    note: Text = ""


class AuthorityOut(Schema):
    id: int
    zone: str
    level: str
    power: str
    request: str
    status: str
    answer: str
    demand: int | None
    innovation: int | None
    version: int

    @staticmethod
    def resolve_zone(obj: AuthorityRequest) -> str:
        return obj.zone.code

    @staticmethod
    def resolve_demand(obj: AuthorityRequest) -> int | None:
        return obj.demand_id

    @staticmethod
    def resolve_innovation(obj: AuthorityRequest) -> int | None:
        return obj.innovation_id


class AuthorityAnswerIn(Schema):
    version: Id
    status: Literal["granted", "partly", "refused"]
    answer: Annotated[str, Field(min_length=1, max_length=10000, pattern=NO_NUL)]


class DemandMeasureOut(Schema):
    key: str
    label: str
    demands: int
    answered: int
    resolved_share: float | None
    mean_days: float | None
    assignments: int
    on_time_share: float | None
    satisfaction: float | None
    promoted: int
    promoted_share: float | None
    requests: int
    granted: int


def _demand(request: HttpRequest, demand_id: int) -> Demand:
    found = selectors.demands_for(request.user).prefetch_related("assignments__unit")
    return get_object_or_404(found, pk=demand_id)


@router.get("/demands", response={200: list[DemandOut], **ERRORS})
@paginate
def list_demands(request: HttpRequest, status: Code = "", zone: Code = "") -> object:
    """Demands the caller may see: an enterprise its own, an office its scope's, everyone the
    published answers."""
    found = selectors.demand_list(request.user, status=status, zone=zone)
    return found.prefetch_related("assignments__unit")


@router.get("/demands/measures", response={200: list[DemandMeasureOut], **ERRORS})
def demand_measures(request: HttpRequest, by: Literal["zone", "department"] = "zone") -> object:
    """Response time, on-time rate, resolution, satisfaction, promotion, powers granted."""
    if by == "department":
        return selectors.measures_by_department(request.user)
    return selectors.measures_by_zone(request.user)


@router.get("/demands/{demand_id}", response={200: DemandOut, **ERRORS})
def get_demand(request: HttpRequest, demand_id: Id) -> object:
    return _demand(request, demand_id)


@router.post("/demands", response={201: DemandOut, **ERRORS, 409: ConflictOut}, auth=django_auth)
def create_demand(request: HttpRequest, body: DemandIn) -> tuple[int, object]:
    """Submit a demand (evidence files: POST /api/attachments/demand/{id}); at most
    ZIMAO_DEMAND_RATE per account and hour."""
    enterprise = selectors.enterprise_of(request.user)
    if enterprise is None:
        if not body.enterprise:
            raise ValidationError({"enterprise": _("请填写代为提交的企业的统一社会信用代码。")})
        enterprise = (
            selectors.enterprises_for_office(request.user)
            .filter(credit_code=body.enterprise.upper())
            .first()
        )
        if enterprise is None:
            raise ValidationError({"enterprise": _("您负责的范围内没有该企业，或尚未核验。")})
    demand = services.demand_submit(
        user=request.user,
        enterprise=enterprise,
        title=body.title,
        problem=body.problem,
        blocker=body.blocker,
        industry=body.industry,
        change=body.change,
        benchmark=body.benchmark,
        token=body.token,
    )
    return 201, demand


@router.post(
    "/demands/{demand_id}/triage",
    response={200: DemandOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
)
def triage_demand(request: HttpRequest, demand_id: Id, body: TriageIn) -> object:
    demand = _demand(request, demand_id)
    into = None
    if body.decision == "merge":
        into = selectors.demands_for(request.user).filter(pk=body.into or 0).first()
    return services.demand_triage(
        user=request.user,
        demand=demand,
        version=body.version,
        decision=body.decision,
        reason=body.reason,
        into=into,
    )


@router.post(
    "/demands/{demand_id}/assign",
    response={200: DemandOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
)
def assign_demand(request: HttpRequest, demand_id: Id, body: AssignIn) -> object:
    demand = _demand(request, demand_id)
    units = {u.pk: u for u in ResponsibleUnit.objects.filter(zone_id=demand.zone_id)}
    wanted: list[tuple[ResponsibleUnit, date]] = []
    for item in body.units:
        if item.unit not in units:
            raise ValidationError({"units": _("承办部门须来自本试验区的部门名录。")})
        wanted.append((units[item.unit], item.due_date))
    services.demand_assign(user=request.user, demand=demand, version=body.version, units=wanted)
    return _demand(request, demand_id)


@router.post(
    "/assignments/{assignment_id}/answer",
    response={200: AssignmentOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
    tags=["enterprise demands"],
)
def answer_assignment(request: HttpRequest, assignment_id: Id, body: AnswerIn) -> object:
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=assignment_id)
    return services.assignment_answer(
        user=request.user, assignment=assignment, version=body.version, answer=body.answer
    )


@router.post(
    "/demands/{demand_id}/rate",
    response={200: DemandOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
)
def rate_demand(request: HttpRequest, demand_id: Id, body: RateIn) -> object:
    demand = _demand(request, demand_id)
    return services.demand_rate(
        user=request.user, demand=demand, version=body.version, rating=body.rating, note=body.note
    )


@router.get("/authority-requests", response={200: list[AuthorityOut], **ERRORS}, auth=django_auth)
@paginate
def list_authority_requests(
    request: HttpRequest, status: Code = "", zone: Code = "", domain: Code = ""
) -> object:
    """Requests for powers (事权) the caller may see; the national office sees all."""
    return selectors.authority_requests_for(request.user, status=status, zone=zone, domain=domain)


@router.post(
    "/authority-requests/{request_id}/answer",
    response={200: AuthorityOut, **ERRORS, 409: ConflictOut},
    auth=django_auth,
)
def answer_authority_request(
    request: HttpRequest, request_id: Id, body: AuthorityAnswerIn
) -> object:
    item = get_object_or_404(selectors.authority_requests_for(request.user), pk=request_id)
    return services.authority_answer(
        user=request.user, item=item, version=body.version, status=body.status, answer=body.answer
    )
