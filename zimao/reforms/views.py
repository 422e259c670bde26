from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed, can_any, visible
from zimao.attachments.selectors import readable_attachments
from zimao.attachments.services import task_progress_with_file
from zimao.lib.exports import export_format, table_response
from zimao.lib.forms import add_errors
from zimao.lib.tabular import preview_rows, preview_upload
from zimao.vocab.models import Domain
from zimao.zones.models import Plan, Zone

from . import deadlines
from .evaluation import (
    EvaluationError,
    assess,
    score_sheet_save,
    shortlist_head,
    shortlist_table,
)
from .forms import (
    EffectForm,
    InnovationForm,
    ResponsibleUnitForm,
    TaskProgressForm,
    TransitionForm,
)
from .imports import (
    TEMPLATE_ROWS,
    export_headers,
    parse_tasks,
    task_rows,
    tasks_import,
)
from .lifecycle import (
    TransitionError,
    innovation_recommend,
    innovation_transition,
    may_step,
    next_states,
    recommendable,
    selection_choices,
    step_label,
)
from .models import Criterion, Innovation, PilotTask, ResponsibleUnit, ScoreSheet
from .selectors import Rate, implementation_rates, zone_chart_days, zone_rate_history, zone_rates
from .services import (
    EditConflict,
    creatable_areas,
    creatable_zones,
    effect_add,
    innovation_create,
    task_update,
    unit_create,
    unit_rename,
    visible_innovations,
)

INNOVATION_HEADERS = [
    gettext_lazy("标题"),
    gettext_lazy("自贸试验区"),
    gettext_lazy("片区"),
    gettext_lazy("领域"),
    gettext_lazy("状态"),
    gettext_lazy("入选类型"),
    gettext_lazy("做法"),
    gettext_lazy("创建时间"),
]


def innovation_index(request: HttpRequest) -> HttpResponseBase:
    innovations = (
        visible_innovations(request.user)
        .select_related("zone", "domain", "area")
        .order_by("-created_at", "-id")
    )
    from_demands = request.GET.get("origin") == "demands"
    if from_demands:  # 来自企业诉求: promoted from at least one enterprise demand
        innovations = innovations.filter(demands__isnull=False).distinct()
    fmt = export_format(request)
    if fmt:
        rows = (
            [
                i.title,
                i.zone.name if i.zone else "",
                i.area.name if i.area else "",
                i.domain.name if i.domain else "",
                i.get_state_display(),
                i.get_selection_display() if i.selection else "",
                i.mechanism,
                timezone.localtime(i.created_at).strftime("%Y-%m-%d"),
            ]
            for i in innovations.iterator()
        )
        return table_response(_("制度创新成果"), INNOVATION_HEADERS, rows, fmt)
    page = Paginator(innovations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_create": can_any(request.user, Action.CREATE, Innovation),
        "from_demands": from_demands,
    }
    return render(request, "reforms/innovation_list.html", context)


def _innovation_context(request: HttpRequest, innovation: Innovation) -> dict[str, object]:
    frozen = innovation.state == Innovation.State.SELECTED  # reopened before any change
    can_edit = not frozen and allowed(request.user, Action.EDIT, innovation)
    can_score = innovation.state == Innovation.State.SUBMITTED and allowed(
        request.user, Action.REVIEW, innovation
    )
    sheet = (
        ScoreSheet.objects.filter(innovation=innovation, reviewer_id=request.user.pk).first()
        if can_score
        else None
    )
    from zimao.demands.selectors import demands_of_innovation

    return {
        "innovation": innovation,
        "demands": demands_of_innovation(request.user, innovation),
        "may_escalate": can_edit,
        "effects": innovation.effects.all(),
        "transitions": innovation.transitions.select_related("by"),
        "steps": [
            (s, step_label(innovation.state, s))
            for s in next_states(innovation)
            if may_step(request.user, innovation, s)
        ],
        "selections": selection_choices(request.user, innovation),
        "recommendable": recommendable(request.user, innovation),
        "frozen": frozen,
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


def plan_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A plan's task list, filtered by responsible unit and by deadline (逾期 / 即将到期)."""
    plan = get_object_or_404(Plan.objects.select_related("zone"), pk=pk)
    plan_tasks = visible(
        request.user, plan.tasks.select_related("domain", "area").prefetch_related("units")
    ).order_by("id")
    units = list(ResponsibleUnit.objects.filter(zone_id=plan.zone_id))
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit", "")), None)
    if unit is not None:
        plan_tasks = plan_tasks.filter(units=unit)
    day = deadlines.today()
    due = request.GET.get("due", "")
    if due in DUE_FILTERS:
        plan_tasks = deadlines.filter_due(plan_tasks, due, day)
    listed = plan_tasks.prefetch_related(readable_attachments(request.user, "task"))
    fmt = export_format(request)
    if fmt:
        return table_response(
            _("试点任务"), export_headers(), task_rows(plan_tasks.iterator(chunk_size=500)), fmt
        )
    page = Paginator(listed, settings.PAGE_SIZE).get_page(request.GET.get("page"))

    def editable() -> set[int]:
        on_page = [t.pk for t in page.object_list]
        mine = visible(request.user, PilotTask.objects.filter(pk__in=on_page), Action.EDIT)
        return set(mine.values_list("pk", flat=True))

    def rate() -> Rate | None:
        rates = implementation_rates("plan", plan=plan.pk)
        return rates[0] if rates else None

    # Read only when the page's remembered table and rate are stale (the template's remember).
    context = {
        "plan": plan,
        "page": page,
        "tasks": page.object_list,
        "editable": SimpleLazyObject(editable),
        "rate": SimpleLazyObject(rate),
        "can_import": allowed(request.user, Action.CREATE, PilotTask(plan=plan)),
        "can_history": allowed(request.user, Action.EDIT, PilotTask(plan=plan)),
        "units": units,
        "unit": unit,
        "due": due if due in DUE_FILTERS else "",
        "due_filters": DUE_FILTERS,
        "today": day,
        "soon_until": deadlines.soon_until(day),
        "can_units": allowed(request.user, Action.CREATE, ResponsibleUnit(zone=plan.zone)),
    }
    return render(request, "reforms/plan_detail.html", context)


DUE_FILTERS = {"overdue": gettext_lazy("逾期"), "soon": gettext_lazy("即将到期")}


def zone_units(request: HttpRequest, code: str) -> HttpResponse:
    """A zone's catalogue of responsible units: the zone office adds and renames entries."""
    zone = get_object_or_404(Zone, code=code)
    may_edit = allowed(request.user, Action.CREATE, ResponsibleUnit(zone=zone))
    form = ResponsibleUnitForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("只有该试验区工作机构可以维护责任单位名录。"))
        if form.is_valid():
            try:
                renamed = request.POST.get("unit")
                if renamed:
                    unit = get_object_or_404(ResponsibleUnit, pk=renamed, zone=zone)
                    unit_rename(user=request.user, unit=unit, name=form.cleaned_data["name"])
                    messages.success(request, _("已改名。"))
                else:
                    unit_create(user=request.user, zone=zone, name=form.cleaned_data["name"])
                    messages.success(request, _("已添加责任单位。"))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("reforms:zone_units", code=zone.code)
        status = 400
    units = ResponsibleUnit.objects.filter(zone=zone).annotate(task_count=Count("tasks"))
    context = {"zone": zone, "units": units, "form": form, "may_edit": may_edit}
    return render(request, "reforms/zone_units.html", context, status=status)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a task's progress; a concurrent save is refused with what the other person changed."""
    task = get_object_or_404(PilotTask.objects.select_related("plan__zone"), pk=pk)
    if not allowed(request.user, Action.EDIT, task):
        raise PermissionDenied(_("该任务不在您的职责范围内。"))
    initial = {
        "status": task.status,
        "evidence": task.evidence,
        "due_date": task.due_date,
        "units": list(task.units.all()),
        "version": task.version,
    }
    form = TaskProgressForm(
        request.POST or None, request.FILES or None, initial=initial, zone_id=task.plan.zone_id
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        upload = data.pop("attachment", None)
        try:
            if upload is not None:  # the evidence file and the progress are saved together
                task_progress_with_file(
                    user=request.user,
                    task=task,
                    version=version,
                    name=upload.name or "",
                    data=upload.read(settings.ATTACHMENT_MAX_MB * 1024 * 1024 + 1),
                    **data,
                )
            else:
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
    context = {
        "task": task,
        "form": form,
        "conflict": _conflict_rows(conflict) if conflict else None,
        "current": task,
    }
    return render(request, "reforms/task_edit.html", context, status=status)


def _conflict_rows(changes: dict[str, tuple[Any, Any]]) -> list[tuple[str, str, str]]:
    """What someone else changed, in words: (field, yours, theirs) with status labels."""
    statuses = dict(PilotTask.Status.choices)
    rows = []
    for name, (mine, theirs) in changes.items():
        if name == "version":
            continue
        label = str(getattr(PilotTask._meta.get_field(name), "verbose_name", name))
        if name == "status":
            mine, theirs = statuses.get(mine, mine), statuses.get(theirs, theirs)
        rows.append((label, str(mine or "—"), str(theirs or "—")))
    return rows or [(_("记录"), _("您打开时的版本"), _("已被他人更新"))]


def _rate_rows(rates: list[Any], names: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            "key": r.key,
            "label": names.get(r.key, r.key if r.key != "—" else _("未分片区")),
            "implemented": r.implemented,
            "applicable": r.applicable,
            "percent": round(r.rate * 100, 1) if r.rate is not None else None,
        }
        for r in rates
    ]


def implementation(request: HttpRequest) -> HttpResponse:
    """实施率 per zone and per domain, and the chosen zone's rate month by month (from the
    month its first status was recorded)."""
    zones = list(Zone.objects.all())
    zone_names = {z.code: z.name for z in zones}
    zone = request.GET.get("zone", "")
    zone = zone if zone in zone_names else ""
    domain_names = {d.code: d.name for d in Domain.objects.all()}
    context = {
        "by_zone": _rate_rows(zone_rates("zone"), zone_names),
        "by_domain": _rate_rows(zone_rates("domain", zone), domain_names | {"—": _("未分领域")}),
        "by_area": _rate_rows(zone_rates("area", zone), {}) if zone else [],
        "history_data": [
            {"day": r.key[:7], "rate": round(r.rate * 100, 1) if r.rate is not None else None}
            for r in zone_rate_history(zone_chart_days(zone, 24), zone)
        ],
        "zone": zone,
        "zone_name": zone_names.get(zone, ""),
        "zones": zones,
    }
    return render(request, "reforms/implementation.html", context)


@login_required
def innovation_new(request: HttpRequest) -> HttpResponse:
    zones, areas = creatable_zones(request.user), creatable_areas(request.user)
    if not zones.exists() and not areas.exists():
        raise PermissionDenied(_("您没有可以新增制度创新成果的试验区或片区。"))
    form = InnovationForm(request.POST or None, zones=zones, areas=areas)
    status = 0
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
        except EditConflict as exc:  # the one-time token belongs to another submission
            form.add_error(None, str(exc))
            status = 409
        else:
            return redirect("reforms:innovation", pk=innovation.pk)
    status = status or (400 if request.method == "POST" else 200)
    return render(request, "reforms/innovation_form.html", {"form": form}, status=status)


@require_POST
@login_required
def innovation_effect(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an effect; on an error the page comes back with the input and the field named."""
    innovation = _visible_innovation(request, pk)
    if not allowed(request.user, Action.EDIT, innovation):
        raise PermissionDenied(_("该成果不在您的职责范围内。"))
    form = EffectForm(request.POST)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("token") or None
        try:
            effect_add(user=request.user, innovation=innovation, token=token, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        except EditConflict as exc:  # the one-time token belongs to another submission
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, _("已记录成效。"))
            return redirect("reforms:innovation", pk=pk)
    context = _innovation_context(request, innovation) | {"effect_form": form, "effect_open": True}
    return render(request, "reforms/innovation_detail.html", context, status=status)


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
def innovation_recommend_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A provincial office recommends a national designation; the national office decides."""
    innovation = _visible_innovation(request, pk)
    data = request.POST.copy()
    data["to_state"] = Innovation.State.SUBMITTED  # a recommendation keeps the state
    form = TransitionForm(data)
    if not form.is_valid():
        messages.error(request, _("请填写理由。"))
        return redirect("reforms:innovation", pk=pk)
    try:
        innovation_recommend(
            user=request.user,
            innovation=innovation,
            selection=form.cleaned_data["selection"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except (TransitionError, EditConflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已推荐，待国家层面决定。"))
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


SHORTLIST_SHOWN = 500  # the page lists the top of the ranking; the download holds all of it


@login_required
def shortlist_page(request: HttpRequest) -> HttpResponseBase:
    """Submitted innovations ranked by their weighted score, with the reviewers' spread (the
    offices that decide: national and provincial)."""
    if not can_any(request.user, Action.REVIEW, Innovation):
        raise PermissionDenied(_("评选排名仅向国家和省级自贸办开放。"))
    submitted = visible(
        request.user, Innovation.objects.filter(state=Innovation.State.SUBMITTED), Action.REVIEW
    )
    fmt = export_format(request)
    if fmt:
        everyone, _count = shortlist_head(submitted.select_related("zone"), None)
        headers, rows = shortlist_table(everyone)
        return table_response(_("评选排名"), headers, rows, fmt)
    ranked, total = shortlist_head(submitted.select_related("zone"), SHORTLIST_SHOWN)
    criteria = Criterion.objects.filter(active=True)
    context = {
        "ranked": ranked,
        "total": total,
        "shown": SHORTLIST_SHOWN,
        "criteria": criteria,
    }
    return render(request, "reforms/shortlist.html", context)


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
        except ValidationError as exc:
            messages.error(request, _("导入未执行：%(e)s") % {"e": "；".join(exc.messages)})
            return redirect("reforms:plan_import", pk=plan.pk)
        messages.success(
            request, _("已导入：新增 %(c)s 项，更新 %(u)s 项。") % {"c": created, "u": updated}
        )
        return redirect("reforms:plan", pk=plan.pk)
    preview = preview_upload(
        request, key, lambda name, data: parse_tasks(name, data, plan), "tasks.csv"
    )
    status = 400 if preview is not None and not preview.ok else 200
    context = {"plan": plan, "preview": preview, "rows": preview_rows(preview)}
    return render(request, "reforms/plan_import.html", context, status=status)


def task_import_template(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The import template (Chinese headers, one example row) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header, *rows = TEMPLATE_ROWS
    return table_response(_("试点任务导入模板"), header, rows, fmt)
