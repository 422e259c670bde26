from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed, visible
from zimao.lib.forms import add_errors
from zimao.zones.models import Plan, Zone

from .evaluation import EvaluationError, assess, score_sheet_save, shortlist, shortlist_csv
from .forms import EffectForm, InnovationForm, TaskProgressForm, TransitionForm
from .imports import Preview, parse_tasks, tasks_import
from .lifecycle import TransitionError, innovation_transition, may_step, next_states
from .models import Criterion, Innovation, PilotTask, ScoreSheet
from .selectors import implementation_rates, month_ends, rate_history
from .services import (
    EditConflict,
    creatable_areas,
    creatable_zones,
    effect_add,
    innovation_create,
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


def _innovation_context(request: HttpRequest, innovation: Innovation) -> dict[str, object]:
    can_edit = allowed(request.user, Action.EDIT, innovation)
    can_score = innovation.state == Innovation.State.SUBMITTED and allowed(
        request.user, Action.REVIEW, innovation
    )
    sheet = (
        ScoreSheet.objects.filter(innovation=innovation, reviewer_id=request.user.pk).first()
        if can_score
        else None
    )
    return {
        "innovation": innovation,
        "effects": innovation.effects.all(),
        "transitions": innovation.transitions.select_related("by"),
        "steps": [
            (s, Innovation.State(s).label)
            for s in next_states(innovation)
            if may_step(request.user, innovation, s)
        ],
        "selections": Innovation.Selection.choices,
        "can_edit": can_edit,
        "effect_form": EffectForm(),
        "assessment": assess(innovation),
        "criteria": Criterion.objects.filter(active=True),
        "can_score": can_score,
        "sheet": sheet,
        "my_scores": dict(
            innovation.scores.filter(reviewer_id=request.user.pk).values_list(
                "criterion__code", "value"
            )
        )
        if sheet
        else {},
    }


def _visible_innovation(request: HttpRequest, pk: int) -> Innovation:
    return get_object_or_404(
        visible_innovations(request.user).select_related("zone", "domain", "area"), pk=pk
    )


def innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = _visible_innovation(request, pk)
    context = _innovation_context(request, innovation)
    return render(request, "reforms/innovation_detail.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("zone"), pk=pk)
    plan_tasks = plan.tasks.select_related("domain", "area").order_by("id")
    page = Paginator(plan_tasks, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rates = implementation_rates("plan", plan=plan.pk)
    on_page = [t.pk for t in page.object_list]
    editable = set(
        visible(request.user, PilotTask.objects.filter(pk__in=on_page), Action.EDIT).values_list(
            "pk", flat=True
        )
    )
    context = {
        "plan": plan,
        "page": page,
        "tasks": page.object_list,
        "editable": editable,
        "rate": rates[0] if rates else None,
        "can_import": allowed(request.user, Action.CREATE, PilotTask(plan=plan)),
        "can_history": allowed(request.user, Action.EDIT, PilotTask(plan=plan)),
    }
    return render(request, "reforms/plan_detail.html", context)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a task's progress; a concurrent save is refused with what the other person changed."""
    task = get_object_or_404(PilotTask.objects.select_related("plan__zone"), pk=pk)
    if not allowed(request.user, Action.EDIT, task):
        raise PermissionDenied(_("该任务不在您的职责范围内。"))
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
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已保存任务进展。"))
            return redirect("reforms:plan", pk=task.plan_id)
    invalid = request.method == "POST" and (not form.is_valid() or bool(form.errors))
    status = 409 if conflict else (400 if invalid else 200)
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
    zones, areas = creatable_zones(request.user), creatable_areas(request.user)
    if not zones.exists() and not areas.exists():
        raise PermissionDenied(_("您没有可以新增制度创新成果的试验区或片区。"))
    form = InnovationForm(request.POST or None, zones=zones, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            innovation = innovation_create(
                user=request.user,
                title=data["title"],
                zone=data["zone"],
                area=data["area"],
                domain=data["domain"],
                mechanism=data["mechanism"],
                token=data["token"] or None,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            return redirect("reforms:innovation", pk=innovation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reforms/innovation_form.html", {"form": form}, status=status)


@require_POST
@login_required
def innovation_effect(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an effect; on an error the page comes back with the input and the field named."""
    innovation = _visible_innovation(request, pk)
    if not allowed(request.user, Action.EDIT, innovation):
        raise PermissionDenied(_("该成果不在您的职责范围内。"))
    form = EffectForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("token") or None
        try:
            effect_add(user=request.user, innovation=innovation, token=token, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已记录成效。"))
            return redirect("reforms:innovation", pk=pk)
    context = _innovation_context(request, innovation) | {"effect_form": form, "effect_open": True}
    return render(request, "reforms/innovation_detail.html", context, status=400)


@require_POST
@login_required
def innovation_step(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = _visible_innovation(request, pk)
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
            version=form.cleaned_data["version"],
        )
    except TransitionError as exc:
        messages.error(request, str(exc))
    except EditConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("状态已更新。"))
    return redirect("reforms:innovation", pk=pk)


@require_POST
@login_required
def innovation_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer saves the whole score sheet of a submitted innovation (0–100 per criterion)."""
    innovation = _visible_innovation(request, pk)
    values: dict[str, int] = {}
    for criterion in Criterion.objects.filter(active=True):
        raw = request.POST.get(f"score-{criterion.code}", "").strip()
        if raw.isdigit() and len(raw) <= 3:
            values[criterion.code] = int(raw)
    raw_version = request.POST.get("version", "")
    version = int(raw_version) if raw_version.isdigit() and len(raw_version) < 10 else None
    try:
        score_sheet_save(
            user=request.user,
            innovation=innovation,
            values=values,
            comment=request.POST.get("comment", "")[:2000],
            version=version,
        )
    except (EvaluationError, EditConflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("评分已保存。"))
    return redirect("reforms:innovation", pk=pk)


def shortlist_page(request: HttpRequest) -> HttpResponse:
    """Submitted innovations ranked by their weighted score, with the reviewers' spread."""
    submitted = visible_innovations(request.user).filter(state=Innovation.State.SUBMITTED)
    ranked = shortlist(list(submitted.select_related("zone")[:500]))
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
    if not allowed(request.user, Action.CREATE, PilotTask(plan=plan)):
        raise PermissionDenied(_("该方案的试点任务不在您的职责范围内。"))
    key = f"task-import-{plan.pk}"
    if request.method == "POST" and request.POST.get("confirm") and request.session.get(key):
        try:
            created, updated = tasks_import(
                user=request.user, plan=plan, rows=request.session.pop(key)
            )
        except EditConflict:
            messages.error(request, _("导入未执行：预览之后有任务被他人修改，请重新上传预览。"))
            return redirect("reforms:plan_import", pk=plan.pk)
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
