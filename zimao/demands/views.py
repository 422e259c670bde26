"""Pages of the demand window: thin views over services.py and selectors.py."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, visible
from zimao.accounts.throttle import client_ip
from zimao.attachments.services import attachments_of, max_bytes, may_change
from zimao.audit.writes import EditConflict
from zimao.lib.forms import add_errors
from zimao.reforms import deadlines
from zimao.reforms.models import ResponsibleUnit
from zimao.reforms.services import visible_innovations

from . import selectors, services
from .forms import (
    INDUSTRIES,
    AnswerForm,
    AssignForm,
    AuthorityAnswerForm,
    DemandForm,
    EnterpriseFields,
    EscalateForm,
    PromoteForm,
    RateForm,
    RegisterForm,
    TriageForm,
)
from .models import AuthorityRequest, Demand, Enterprise

BACKEND = "django.contrib.auth.backends.ModelBackend"
Refusal = (ValidationError, PermissionDenied, EditConflict)
T = TypeVar("T")


def _refused(request: HttpRequest, exc: Exception) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, _("未保存：") + text)


def _posted(request: HttpRequest, form: forms.Form, invalid: str) -> dict[str, Any] | None:
    """A one-button form's data, or None with `invalid` shown above the page."""
    if form.is_valid():
        return form.cleaned_data
    messages.error(request, invalid)
    return None


def _act(request: HttpRequest, write: Callable[[], T], done: str = "") -> T | None:
    """A one-button write's result, with `done` shown; or None with its refusal shown."""
    try:
        made = write()
    except Refusal as exc:
        _refused(request, exc)
        return None
    if done:
        messages.success(request, done)
    return made


def _saved(form: forms.Form, write: Callable[[dict[str, Any]], T]) -> T | None:
    """A posted form's write, or None when the form is not posted, not valid or refused: the
    refusal stands by the fields it names, an edit conflict above them."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        add_errors(form, exc)
    except EditConflict as exc:
        form.add_error(None, str(exc))
    return None


def _page(request: HttpRequest, found: Any) -> Page[Any]:
    return Paginator(found, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _version(request: HttpRequest) -> int:
    """The version a one-button form carries (0, a conflict, when it is not a sane number)."""
    raw = str(request.POST.get("version", ""))
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def register(request: HttpRequest) -> HttpResponse:
    """Self-registration of an enterprise; it can submit once an office has verified it."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        try:
            services.registration_attempt(client_ip(request))
        except services.TooFrequent as exc:
            context = {"form": RegisterForm(), "refused": exc.messages[0]}  # nothing kept
            return render(request, "demands/register.html", context, status=429)
    enterprise = _saved(
        form,
        lambda data: services.enterprise_register(
            username=data["username"],
            password=data["password"],
            email=data["email"],
            name=data["name"],
            credit_code=data["credit_code"],
            zone=data["zone"],
            area=data["area"],
            contact_name=data["contact_name"],
        ),
    )
    if enterprise is not None:
        if enterprise.user is not None:
            login(request, enterprise.user, backend=BACKEND)
        messages.success(request, _("注册成功。工作机构核验后，您即可提交诉求。"))
        return redirect("demands:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "demands/register.html", {"form": form}, status=status)


def demand_list(request: HttpRequest) -> HttpResponse:
    """The caller's demands: an enterprise its own, an office its scope's, the public the
    published answers."""
    status = request.GET.get("status", "")[:20]
    industry = request.GET.get("industry", "")[:50]
    zone = request.GET.get("zone", "")[:40]
    found = selectors.demand_list(request.user, status=status, industry=industry, zone=zone)
    enterprise = selectors.enterprise_of(request.user)
    context = {
        "page": _page(request, found),
        "enterprise": enterprise,
        "statuses": Demand.Status.choices,
        "status": status,
        "industry": industry,
        "can_submit": enterprise is not None or selectors.is_office(request.user),
    }
    return render(request, "demands/list.html", context)


@login_required
def demand_new(request: HttpRequest) -> HttpResponse:
    enterprise = selectors.enterprise_of(request.user)
    choices = None if enterprise else selectors.enterprises_for_office(request.user)
    if enterprise is None and not selectors.is_office(request.user):
        raise PermissionDenied(_("只有企业账号或自贸试验区、片区工作机构可以提交诉求。"))
    form = DemandForm(request.POST or None, request.FILES or None, enterprises=choices)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [u for u in data.get("evidence") or [] if u]
        files = [(u.name or "", u.read(max_bytes() + 1)) for u in uploads]
        try:
            demand = services.demand_submit(
                user=request.user,
                enterprise=enterprise or data["enterprise"],
                title=data["title"],
                problem=data["problem"],
                blocker=data["blocker"],
                industry=data["industry"],
                change=data["change"],
                benchmark=data["benchmark"],
                files=files,
                token=data["token"] or None,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
            status = 429 if isinstance(exc, services.TooFrequent) else 400
        except EditConflict as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, _("诉求已提交，工作机构受理后会通知您。"))
            return redirect(demand)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "enterprise": enterprise, "industries": INDUSTRIES}
    return render(request, "demands/form.html", context, status=status)


def _demand(request: HttpRequest, pk: int) -> Demand:
    return get_object_or_404(selectors.demands_for(request.user), pk=pk)


def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = _demand(request, pk)
    user = request.user
    office = services.is_office_for(user, demand)
    own = selectors.enterprise_of(user) == demand.enterprise
    assignments = list(demand.assignments.select_related("unit").order_by("due_date", "id"))
    context: dict[str, Any] = {
        "demand": demand,
        "office": office,
        "own": own,
        "named": selectors.shows_enterprise(user, demand),
        "steps": demand.steps.all(),
        "assignments": assignments,
        "today": deadlines.today(),
        "files": attachments_of(user, demand) if (office or own) else [],
        "may_attach": (office or own) and may_change(user, demand),
        "requests": visible(user, demand.authority_requests.select_related("zone")),
        "merged": visible(user, demand.merged.all()),
        "rate_form": RateForm(initial={"version": demand.version})
        if own and demand.status == Demand.Status.ANSWERED
        else None,
    }
    if office:
        zone_units = ResponsibleUnit.objects.filter(zone_id=demand.zone_id)
        targets = (
            visible(user, Demand.objects.filter(zone_id=demand.zone_id), Action.EDIT)
            .exclude(pk=demand.pk)
            .exclude(status__in=(Demand.Status.REJECTED, Demand.Status.MERGED))
        )
        context |= {
            "triage_form": TriageForm(initial={"version": demand.version}, targets=targets),
            "assign_form": AssignForm(
                initial={
                    "version": demand.version,
                    "due_date": services.default_due(deadlines.today()),
                },
                units=zone_units.exclude(pk__in=[a.unit_id for a in assignments]),
            ),
            "promote_form": PromoteForm(initial={"title": demand.title}),
            "escalate_form": EscalateForm(),
            "similar": selectors.similar_demands(user, demand),
            "reforms": selectors.similar_reforms(user, demand),
        }
    elif own:
        context["reforms"] = selectors.similar_reforms(user, demand)
    return render(request, "demands/detail.html", context)


@require_POST
@login_required
def demand_triage(request: HttpRequest, pk: int) -> HttpResponseBase:
    demand = _demand(request, pk)
    targets = visible(request.user, Demand.objects.filter(zone_id=demand.zone_id), Action.EDIT)
    form = TriageForm(request.POST, targets=targets)
    data = _posted(request, form, _("未保存：请检查填写的内容。"))
    if data is not None:
        _act(
            request,
            lambda: services.demand_triage(user=request.user, demand=demand, **data),
            _("已处理。"),
        )
    return redirect(demand)


@require_POST
@login_required
def demand_assign(request: HttpRequest, pk: int) -> HttpResponseBase:
    demand = _demand(request, pk)
    form = AssignForm(request.POST, units=ResponsibleUnit.objects.filter(zone_id=demand.zone_id))
    data = _posted(request, form, _("未保存：请选择承办部门并填写办理时限。"))
    if data is not None:
        _act(
            request,
            lambda: services.demand_assign(
                user=request.user,
                demand=demand,
                version=data["version"],
                units=[(unit, data["due_date"]) for unit in data["units"]],
            ),
            _("已交办。"),
        )
    return redirect(demand)


@require_POST
@login_required
def demand_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    demand = _demand(request, pk)
    _act(
        request,
        lambda: services.demand_publish(
            user=request.user,
            demand=demand,
            version=_version(request),
            public=request.POST.get("public") == "1",
        ),
    )
    return redirect(demand)


@require_POST
@login_required
def demand_rate(request: HttpRequest, pk: int) -> HttpResponseBase:
    demand = _demand(request, pk)
    data = _posted(request, RateForm(request.POST), _("未保存：请选择 1 至 5 分。"))
    if data is not None:
        _act(
            request,
            lambda: services.demand_rate(
                user=request.user,
                demand=demand,
                version=data["version"],
                rating=data["rating"],
                note=data["rating_note"],
            ),
            _("感谢您的评价。"),
        )
    return redirect(demand)


@require_POST
@login_required
def demand_promote(request: HttpRequest, pk: int) -> HttpResponseBase:
    demand = _demand(request, pk)
    data = _posted(request, PromoteForm(request.POST), _("未保存：请填写制度创新标题。"))
    if data is None:
        return redirect(demand)
    innovation = _act(
        request,
        lambda: services.demand_promote(
            user=request.user, demand=demand, title=data["title"], domain=data["domain"]
        ),
        _("已转化为制度创新成果（提出阶段）。"),
    )
    return redirect(innovation or demand)


def _escalate(request: HttpRequest, **source: Any) -> AuthorityRequest | None:
    data = _posted(request, EscalateForm(request.POST), _("未保存：请填写所需事权和请求内容。"))
    if data is None:
        return None
    return _act(
        request,
        lambda: services.authority_request_create(
            user=request.user,
            level=data["level"],
            power=data["power"],
            request=data["request"],
            domain=data["domain"],
            **source,
        ),
    )


@require_POST
@login_required
def demand_escalate(request: HttpRequest, pk: int) -> HttpResponseBase:
    demand = _demand(request, pk)
    made = _escalate(request, demand=demand)
    return redirect(made or demand)


@require_POST
@login_required
def innovation_escalate(request: HttpRequest, innovation_id: int) -> HttpResponseBase:
    innovation = get_object_or_404(visible_innovations(request.user), pk=innovation_id)
    made = _escalate(request, innovation=innovation)
    return redirect(made or innovation)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's task: the demand, its deadline and the answer form."""
    assignment = get_object_or_404(selectors.assignments_for(request.user), pk=pk)
    form = AnswerForm(request.POST or None, initial={"version": assignment.version})
    answered = _saved(
        form,
        lambda data: services.assignment_answer(
            user=request.user, assignment=assignment, version=data["version"], answer=data["answer"]
        ),
    )
    if answered is not None:
        messages.success(request, _("已答复。"))
        return redirect("demands:assignment", pk=assignment.pk)
    context = {
        "assignment": assignment,
        "demand": assignment.demand,
        "form": form if services.may_answer(request.user, assignment) else None,
        "today": deadlines.today(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "demands/assignment.html", context, status=status)


@login_required
def enterprises(request: HttpRequest) -> HttpResponse:
    """Enterprises waiting for verification in the office's scope, and the form to enter one."""
    if not selectors.is_office(request.user):
        raise PermissionDenied(_("只有自贸试验区或片区工作机构可以核验企业。"))
    form = EnterpriseFields(request.POST or None)
    if _saved(form, lambda data: services.enterprise_add(user=request.user, **data)) is not None:
        messages.success(request, _("已登记企业，可代为提交诉求。"))
        return redirect("demands:enterprises")
    context = {"waiting": selectors.enterprises_to_verify(request.user)[:100], "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "demands/enterprises.html", context, status=status)


@require_POST
@login_required
def enterprise_verify(request: HttpRequest, pk: int) -> HttpResponseBase:
    enterprise = get_object_or_404(visible(request.user, Enterprise.objects.all()), pk=pk)
    _act(
        request,
        lambda: services.enterprise_verify(
            user=request.user, enterprise=enterprise, version=_version(request)
        ),
        _("已核验“%(n)s”。") % {"n": enterprise.name},
    )
    return redirect("demands:enterprises")


@login_required
def authority_list(request: HttpRequest) -> HttpResponse:
    """Authority requests the caller may see; the national office's counts by zone and field."""
    status = request.GET.get("status", "")[:20]
    zone = request.GET.get("zone", "")[:40]
    domain = request.GET.get("domain", "")[:40]
    found = selectors.authority_requests_for(request.user, status=status, zone=zone, domain=domain)
    context = {
        "page": _page(request, found),
        "counts": selectors.open_requests_by_zone_and_field(request.user),
        "statuses": AuthorityRequest.Status.choices,
        "status": status,
    }
    return render(request, "demands/authority_list.html", context)


@login_required
def authority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.authority_requests_for(request.user), pk=pk)
    may = services.may_answer_authority(request.user, item)
    form = AuthorityAnswerForm(request.POST or None, initial={"version": item.version})
    answered = _saved(
        form,
        lambda data: services.authority_answer(
            user=request.user,
            item=item,
            version=data["version"],
            status=data["status"],
            answer=data["answer"],
        ),
    )
    if answered is not None:
        messages.success(request, _("已答复。"))
        return redirect(item)
    context = {"item": item, "form": form if may else None}
    status = 400 if request.method == "POST" else 200
    return render(request, "demands/authority_detail.html", context, status=status)


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The office's demand desk: to triage, overdue and due soon, to verify, powers asked."""
    user = request.user
    today = deadlines.today()
    context = {
        "triage": selectors.to_triage(user)[: selectors.LIMIT],
        "triage_count": selectors.to_triage(user).count(),
        "deadlines": selectors.deadlines(user, today),
        "waiting": selectors.enterprises_to_verify(user)[: selectors.LIMIT],
        "requests": selectors.authority_requests_for(user, status="open")[: selectors.LIMIT],
        "measures": selectors.measures_by_zone(user),
        "today": today,
        "may_verify": selectors.is_office(user),
    }
    return render(request, "demands/workbench.html", context)


def measures(request: HttpRequest) -> HttpResponse:
    """Response time, on-time rate, resolution, satisfaction, promotion and powers granted,
    per zone and per department, over the demands the reader may see."""
    context = {
        "zones": selectors.measures_by_zone(request.user),
        "departments": selectors.measures_by_department(request.user),
        "heat": selectors.heat(request.user),
    }
    return render(request, "demands/measures.html", context)
