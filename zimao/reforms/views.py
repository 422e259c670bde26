from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.permissions import Action, RecordScope, allowed
from zimao.documents.models import Document
from zimao.search.selectors import similar_to
from zimao.zones.models import Plan, Zone

from .evaluation import EvaluationError, assess, score_set, shortlist, shortlist_csv
from .forms import EffectForm, InnovationForm, TaskProgressForm, TransitionForm
from .imports import Preview, parse_tasks, tasks_import
from .lifecycle import TransitionError, innovation_transition, next_states
from .models import Criterion, Innovation, PilotTask
from .selectors import implementation_rates, month_ends, rate_history
from .services import (
    EditConflict,
    creatable_zones,
    effect_add,
    evidence_attach,
    innovation_create,
    innovation_scope,
    task_scope,
    task_update,
    visible_innovations,
)


def innovation_index(request: HttpRequest) -> HttpResponse:
    innovations = (
        visible_innovations(request.user)
        .select_related("zone", "domain")
        .order_by("-created_at", "-id")
    )
    page = Paginator(innovations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reforms/innovation_list.html", {"page": page})


def innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(
        visible_innovations(request.user).select_related("zone", "domain"), pk=pk
    )
    scope = innovation_scope(innovation)
    steps = [s for s in next_states(innovation) if _may_step(request, innovation, s)]
    context = {
        "innovation": innovation,
        "effects": innovation.effects.all(),
        "transitions": innovation.transitions.select_related("by"),
        "steps": [(s, Innovation.State(s).label) for s in steps],
        "selections": Innovation.Selection.choices,
        "can_edit": allowed(request.user, Action.EDIT, scope),
        "effect_form": EffectForm(),
        "similar": similar_to("innovation", str(innovation.pk)),
        "assessment": assess(innovation),
        "evidence": innovation.documents.all(),
        "fact_documents": Document.objects.filter(facts__innovation=innovation).distinct(),
        "attachable": Document.objects.filter(status="processed").order_by("-created_at")[:200]
        if allowed(request.user, Action.EDIT, scope)
        else [],
        "criteria": Criterion.objects.filter(active=True),
        "can_score": innovation.state == Innovation.State.SUBMITTED
        and allowed(request.user, Action.REVIEW, scope),
    }
    return render(request, "reforms/innovation_detail.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("zone"), pk=pk)
    plan_tasks = plan.tasks.select_related("domain")
    rates = implementation_rates("plan", plan=plan.pk)
    context = {
        "plan": plan,
        "tasks": plan_tasks,
        "rate": rates[0] if rates else None,
        "can_edit": bool(plan_tasks)
        and allowed(request.user, Action.EDIT, task_scope(plan_tasks[0])),
        "can_import": allowed(
            request.user, Action.CREATE, RecordScope(plan.zone.code, plan.zone.province, None)
        ),
    }
    return render(request, "reforms/plan_detail.html", context)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a task's progress; a concurrent save is refused with what the other person changed."""
    task = get_object_or_404(PilotTask.objects.select_related("plan__zone"), pk=pk)
    if not allowed(request.user, Action.EDIT, task_scope(task)):
        raise PermissionDenied("this task belongs to another zone")
    initial = {
        "status": task.status,
        "evidence": task.evidence,
        "responsible_units": task.responsible_units,
        "version": task.version,
    }
    form = TaskProgressForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            task_update(user=request.user, task=task, version=version, **data)
        except EditConflict as exc:
            conflict = exc.changes
        else:
            messages.success(request, _("已保存任务进展。"))
            return redirect("reforms:plan", pk=task.plan_id)
    status = 409 if conflict else (400 if request.method == "POST" and not form.is_valid() else 200)
    context = {"task": task, "form": form, "conflict": conflict, "current": task}
    return render(request, "reforms/task_edit.html", context, status=status)


def implementation(request: HttpRequest) -> HttpResponse:
    """实施率 per zone and per domain, and the chosen zone's rate month by month."""
    zone = request.GET.get("zone", "")
    zone = zone if Zone.objects.filter(code=zone).exists() else ""
    months = month_ends(24)
    context = {
        "by_zone": implementation_rates("zone"),
        "by_domain": implementation_rates("domain", zone=zone),
        "by_area": implementation_rates("area", zone=zone) if zone else [],
        "history_data": [
            {"day": r.key, "rate": round(r.rate * 100, 1) if r.rate is not None else None}
            for r in rate_history(months, zone=zone)
        ],
        "zone": zone,
        "zones": Zone.objects.all(),
    }
    return render(request, "reforms/implementation.html", context)


@login_required
def innovation_new(request: HttpRequest) -> HttpResponse:
    zones = creatable_zones(request.user)
    if not zones.exists():
        raise PermissionDenied("you have no zone or area to create innovations in")
    form = InnovationForm(request.POST or None, zones=zones)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        innovation = innovation_create(
            user=request.user,
            title=data["title"],
            zone=data["zone"],
            area=data["area"],
            domain=data["domain"],
            mechanism=data["mechanism"],
        )
        return redirect("reforms:innovation", pk=innovation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reforms/innovation_form.html", {"form": form}, status=status)


@require_POST
@login_required
def innovation_effect(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(visible_innovations(request.user), pk=pk)
    form = EffectForm(request.POST)
    if form.is_valid():
        effect_add(user=request.user, innovation=innovation, **form.cleaned_data)
        messages.success(request, _("已记录成效。"))
    else:
        messages.error(
            request, "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return redirect("reforms:innovation", pk=pk)


@require_POST
@login_required
def innovation_step(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(visible_innovations(request.user), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写理由。"))
        return redirect("reforms:innovation", pk=pk)
    try:
        innovation_transition(
            user=request.user,
            innovation=innovation,
            to_state=form.cleaned_data["to_state"],
            reason=form.cleaned_data["reason"],
            selection=form.cleaned_data["selection"],
        )
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("状态已更新。"))
    return redirect("reforms:innovation", pk=pk)


def _may_step(request: HttpRequest, innovation: Innovation, to_state: str) -> bool:
    from .lifecycle import TRANSITIONS

    action = TRANSITIONS[(innovation.state, to_state)]
    return allowed(request.user, action, innovation_scope(innovation))


@require_POST
@login_required
def innovation_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer scores every criterion of a submitted innovation (0–100)."""
    innovation = get_object_or_404(visible_innovations(request.user), pk=pk)
    try:
        for criterion in Criterion.objects.filter(active=True):
            raw = request.POST.get(f"score-{criterion.code}", "").strip()
            if not raw.isdigit():
                raise EvaluationError(_("每项指标都需要 0 到 100 的整数分"))
            score_set(
                user=request.user,
                innovation=innovation,
                criterion=criterion,
                value=int(raw),
                comment=request.POST.get("comment", ""),
            )
    except EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("评分已保存。"))
    return redirect("reforms:innovation", pk=pk)


def shortlist_page(request: HttpRequest) -> HttpResponse:
    """Submitted innovations ranked by their weighted score, with the reviewers' spread."""
    submitted = visible_innovations(request.user).filter(state=Innovation.State.SUBMITTED)
    ranked = shortlist(list(submitted.select_related("zone")))
    if request.GET.get("format") == "csv":
        response = HttpResponse(shortlist_csv(ranked), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="shortlist.csv"'
        return response
    criteria = Criterion.objects.filter(active=True)
    return render(request, "reforms/shortlist.html", {"ranked": ranked, "criteria": criteria})


@login_required
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a CSV/XLSX of tasks, see the preview with every problem, then confirm."""
    plan = get_object_or_404(Plan.objects.select_related("zone"), pk=pk)
    scope = RecordScope(plan.zone.code, plan.zone.province, None)
    if not allowed(request.user, Action.CREATE, scope):
        raise PermissionDenied("tasks of this plan belong to another office")
    key = f"task-import-{plan.pk}"
    if request.method == "POST" and request.POST.get("confirm") and request.session.get(key):
        created, updated = tasks_import(user=request.user, plan=plan, rows=request.session.pop(key))
        messages.success(
            request, _("已导入：新增 %(c)s 项，更新 %(u)s 项。") % {"c": created, "u": updated}
        )
        return redirect("reforms:plan", pk=plan.pk)
    preview = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None:
        if upload.size is not None and upload.size > 5 * 1024 * 1024:
            preview = Preview(errors=[_("文件超过 5 MB")])
        else:
            preview = parse_tasks(upload.name or "tasks.csv", upload.read(), plan)
        if preview.ok:
            request.session[key] = preview.rows
        else:
            request.session.pop(key, None)
    status = 400 if preview is not None and not preview.ok else 200
    return render(
        request, "reforms/plan_import.html", {"plan": plan, "preview": preview}, status=status
    )


@require_POST
@login_required
def innovation_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(visible_innovations(request.user), pk=pk)
    document = get_object_or_404(Document, pk=request.POST.get("document") or 0, status="processed")
    evidence_attach(user=request.user, record=innovation, document=document)
    messages.success(request, _("已关联佐证文档。"))
    return redirect("reforms:innovation", pk=pk)
