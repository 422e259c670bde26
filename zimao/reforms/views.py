from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zimao.accounts.permissions import Action, allowed
from zimao.search.selectors import similar_to
from zimao.zones.models import Plan, Zone

from .forms import TaskProgressForm
from .models import PilotTask
from .selectors import implementation_rates, month_ends, rate_history
from .services import EditConflict, task_scope, task_update, visible_innovations


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
    context = {
        "innovation": innovation,
        "effects": innovation.effects.all(),
        "similar": similar_to("innovation", str(innovation.pk)),
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
        "history_data": [
            {"day": r.key, "rate": round(r.rate * 100, 1) if r.rate is not None else None}
            for r in rate_history(months, zone=zone)
        ],
        "zone": zone,
        "zones": Zone.objects.all(),
    }
    return render(request, "reforms/implementation.html", context)
