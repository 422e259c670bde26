import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed
from zimao.audit.writes import EditConflict

from .benchmarking import RULES, benchmark, chart_data, parse_peers, peers_by_rule, subject_choices
from .exports import export_response
from .imports import CellError, Preview, parse_observations, rows_from_session
from .index import (
    MISSING_RULES,
    NORMALISATIONS,
    IndexDefinition,
    IndexDefinitionError,
    compute_index,
    current_version,
    result_as_data,
    sensitivity,
)
from .models import IndexVersion, Indicator, NegativeList, Observation
from .periods import period_label
from .provenance import mark_sample_charts
from .selectors import indicator_list, observation_list
from .services import index_version_save, observation_import, observation_prefer
from .subjects import Kind, SubjectError, subject_from_ref
from .units import format_value

SESSION_KEY = "observation-import"


def indicator_index(request: HttpRequest) -> HttpResponse:
    context = {
        "indicators": indicator_list(),
        "observations": Paginator(observation_list(), settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "negative_lists": NegativeList.objects.all(),
        "can_import": request.user.is_authenticated,
    }
    return render(request, "indicators/indicator_list.html", context)


@login_required
def observation_import_page(request: HttpRequest) -> HttpResponse:
    """Upload CSV/XLSX, see every problem by row and column, then confirm (all rows or none)."""
    if (
        request.method == "POST"
        and request.POST.get("confirm")
        and request.session.get(SESSION_KEY)
    ):
        stored = request.session.pop(SESSION_KEY)
        try:
            result = observation_import(
                user=request.user, rows=rows_from_session(stored["rows"]), filename=stored["name"]
            )
        except PermissionDenied:
            messages.error(request, _("您无权导入其中部分对象的数据，未写入任何数据。"))
            return redirect("indicators:import")
        except EditConflict as exc:
            messages.error(request, _import_conflict(exc))
            return redirect("indicators:import")
        messages.success(
            request,
            _("已导入：新增 %(c)s 条，更新 %(u)s 条，未变 %(n)s 条。")
            % {"c": result.created, "u": result.updated, "n": result.unchanged},
        )
        return redirect("indicators:list")
    preview = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None:
        if upload.size is not None and upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            preview = Preview(errors=[CellError(0, "", _("文件过大"))])
        else:
            preview = parse_observations(upload.name or "observations.csv", upload.read())
        if preview.ok:
            request.session[SESSION_KEY] = {
                "name": upload.name,
                "rows": [r.as_dict() for r in preview.rows],
            }
        else:
            request.session.pop(SESSION_KEY, None)
    status = 400 if preview is not None and not preview.ok else 200
    return render(request, "indicators/import.html", {"preview": preview}, status=status)


def _import_conflict(exc: EditConflict) -> str:
    lines = "、".join(exc.changes)
    if not lines:
        return _("导入失败：数据在预览后已被他人修改，未写入任何数据，请重新上传文件。")
    return _(
        "导入失败：第 %(lines)s 行的数据在预览后已被他人修改，未写入任何数据，请重新上传文件。"
    ) % {"lines": lines}


def observation_export(request: HttpRequest) -> HttpResponseBase:
    observations = observation_list(
        indicator=request.GET.get("indicator", ""),
        subject_kind=request.GET.get("subject_kind", ""),
        subject=request.GET.get("subject", ""),
    )
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(observations.iterator(), fmt)


def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One observation with the other sources for the same indicator, subject and period."""
    observation = get_object_or_404(Observation.objects.select_related("indicator"), pk=pk)
    group = Observation.objects.filter(
        indicator=observation.indicator,
        subject_kind=observation.subject_kind,
        subject=observation.subject,
        period=observation.period,
    ).order_by("-preferred", "id")
    can_edit = allowed(request.user, Action.EDIT, observation)
    context = {
        "observation": observation,
        "group": group,
        "can_edit": can_edit,
        "period_label": period_label(observation.period),
    }
    return render(request, "indicators/observation.html", context)


@require_POST
@login_required
def observation_prefer_view(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_object_or_404(Observation, pk=pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("请说明采用理由。"))
        return redirect("indicators:observation", pk=pk)
    seen = _int(request.POST.get("version"), observation.version)
    try:
        observation_prefer(user=request.user, observation=observation, reason=reason, version=seen)
    except EditConflict as exc:
        messages.error(request, _("未改动：%(reason)s") % {"reason": exc})
        return redirect("indicators:observation", pk=pk)
    messages.success(request, _("已改为采用该来源的数值，其他来源并列保留。"))
    return redirect("indicators:observation", pk=pk)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def benchmark_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", Kind.AREA)
    if kind not in (Kind.AREA, Kind.ZONE, Kind.PILOT_AREA):
        kind = Kind.AREA
    year = _int(request.GET.get("year"), 2023)
    rule = request.GET.get("rule", "manual")
    context: dict[str, Any] = {
        "kind": kind,
        "year": year,
        "years": list(range(2015, 2026)),
        "rule": rule,
        "rules": RULES,
        "choices": subject_choices(kind),
        "indicators": indicator_list(),
        "selected_peers": request.GET.getlist("peers"),
        "subject_ref": request.GET.get("subject", ""),
        "rank_indicator": request.GET.get("indicator", ""),
        "n": _int(request.GET.get("n"), 3),
    }
    if context["subject_ref"]:
        try:
            subject = subject_from_ref(context["subject_ref"])
            if rule == "manual":
                peers = parse_peers(context["selected_peers"])
            else:
                peers = peers_by_rule(
                    subject, rule, indicator=context["rank_indicator"], year=year, n=context["n"]
                )
            peers = [p for p in peers if p.ref != subject.ref]
            if not peers:
                raise SubjectError(_("请至少选择一个对标对象"))
            result = benchmark(subject, peers, year)
            charts = mark_sample_charts(result, chart_data(result))
            chosen = request.GET.get("chart") or (
                result.indicators[0].code if result.indicators else ""
            )
            context.update(
                result=result,
                chart=chosen,
                charts={
                    "series": charts["series"].get(chosen),
                    "bars": charts["bars"].get(chosen),
                    "radar": charts["radar"],
                },
                rows=_table_rows(result),
            )
        except SubjectError as exc:
            context["error"] = str(exc)
    return render(request, "indicators/benchmark.html", context)


def _table_rows(result: Any) -> list[dict[str, Any]]:
    rows = []
    for indicator in result.indicators:
        cells = []
        for s in result.subjects:
            cell = result.cells[indicator.code].get(s.ref)
            growth = result.growth.get(indicator.code, {}).get(s.ref)
            cells.append(
                {
                    "text": cell.text if cell else _("无数据"),
                    "observation": cell.observation_id if cell else None,
                    "is_sample": cell.is_sample if cell else False,
                    "is_computed": cell.is_computed if cell else False,
                    "growth": format_value(growth.value, "%")
                    + (f"（{growth.fx_note}）" if growth.fx_note else "")
                    if growth and growth.value is not None
                    else "",
                }
            )
        rows.append({"indicator": indicator, "cells": cells})
    return rows


def _version(request: HttpRequest) -> IndexVersion:
    number = request.GET.get("version")
    version = (
        IndexVersion.objects.filter(number=_int(number, 0)).first() if number else current_version()
    )
    if version is None:
        raise Http404("no index version")
    return version


def index_page(request: HttpRequest) -> HttpResponse:
    version = _version(request)
    definition = IndexDefinition.from_data(version.definition)
    kind = request.GET.get("kind", Kind.AREA)
    year = _int(request.GET.get("year"), 2023)
    from .benchmarking import subjects_of_kind

    result = compute_index(definition, subjects_of_kind(kind), year)
    scored = [s for s in result.scores if s.coverage > 0]
    explain = next((s for s in scored if s.subject.ref == request.GET.get("explain")), None)
    target = request.GET.get("target", definition.dimensions[0].code)
    weights = [round(_weight_of(definition, target) * f, 3) for f in (0, 0.5, 1, 2, 3)]
    subjects = [s.subject for s in scored]
    context = {
        "version": version,
        "versions": IndexVersion.objects.all(),
        "definition": definition,
        "normalisation": NORMALISATIONS[definition.normalisation],
        "missing_rule": MISSING_RULES[definition.missing],
        "kind": kind,
        "year": year,
        "years": list(range(2015, 2026)),
        "scores": scored,
        "result": result,
        "sample_refs": {s.subject.ref for s in scored if s.is_sample},
        "left_out": len(result.scores) - len(scored),
        "explain": explain,
        "target": target,
        "targets": _targets(definition),
        "weights": weights,
        "sensitivity": sensitivity(definition, subjects, year, target, weights) if subjects else [],
        "can_edit": allowed(request.user, Action.CREATE, IndexVersion()),
        "chart": {
            "labels": [
                f"{s.subject.label}（{_('样例')}）" if s.is_sample else s.subject.label
                for s in scored
                if s.score is not None
            ],
            "values": [round(s.score, 2) for s in scored if s.score is not None],
        },
    }
    return render(request, "indicators/index.html", context)


def _weight_of(definition: IndexDefinition, target: str) -> float:
    """The current weight of a dimension (`trade`) or of an indicator (`trade/trade_total`)."""
    dim_code, _sep, ind_code = target.partition("/")
    for d in definition.dimensions:
        if d.code == dim_code:
            if not ind_code:
                return d.weight
            return next((i.weight for i in d.indicators if i.code == ind_code), 1.0)
    return 1.0


def _targets(definition: IndexDefinition) -> list[tuple[str, str]]:
    names = dict(Indicator.objects.values_list("code", "name_zh"))
    targets = []
    for d in definition.dimensions:
        targets.append((d.code, d.name))
        targets += [
            (f"{d.code}/{i.code}", f"{d.name} · {names.get(i.code, i.code)}") for i in d.indicators
        ]
    return targets


def index_export(request: HttpRequest) -> HttpResponse:
    """The version's definition, every input with its observation and source, and the scores."""
    from .benchmarking import subjects_of_kind

    version = _version(request)
    definition = IndexDefinition.from_data(version.definition)
    year = _int(request.GET.get("year"), 2023)
    result = compute_index(definition, subjects_of_kind(request.GET.get("kind", Kind.AREA)), year)
    result.scores = [s for s in result.scores if s.coverage > 0]
    data = result_as_data(result, version.number)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="index-v{version.number}-{year}.json"'
    return response


@login_required
def index_edit(request: HttpRequest) -> HttpResponse:
    """National offices change weights, directions and normalisation; saving adds a version."""
    if not allowed(request.user, Action.CREATE, IndexVersion()):
        raise PermissionDenied(_("只有国家层面的管理部门可以调整综合指数。"))
    version = _version(request)
    definition = IndexDefinition.from_data(version.definition)
    latest = current_version().number
    error, status = "", 200
    if request.method == "POST":
        try:
            edited = _edited_definition(request.POST, definition)
            saved = index_version_save(
                user=request.user,
                name=request.POST.get("name", version.name).strip() or version.name,
                definition=edited,
                note=request.POST.get("note", "").strip(),
                latest=_int(request.POST.get("latest"), latest),
            )
            messages.success(request, _("已保存为第 %(n)s 版。") % {"n": saved.number})
            return redirect(f"{reverse('indicators:index')}?version={saved.number}")
        except IndexDefinitionError as exc:
            error, status = str(exc), 400
        except EditConflict as exc:
            error, status = _("未保存：%(reason)s") % {"reason": exc}, 409
    names = dict(Indicator.objects.values_list("code", "name_zh"))
    context = {
        "version": version,
        "definition": definition,
        "names": names,
        "normalisations": NORMALISATIONS,
        "definition_json": json.dumps(definition.as_data(), ensure_ascii=False, indent=1),
        "error": error,
        "latest": latest,
    }
    return render(request, "indicators/index_edit.html", context, status=status)


def _edited_definition(post: Any, definition: IndexDefinition) -> IndexDefinition:
    raw = post.get("definition_json", "").strip()
    if raw and json.loads(raw) != definition.as_data():
        try:
            return IndexDefinition.from_data(json.loads(raw))
        except json.JSONDecodeError as exc:
            raise IndexDefinitionError(f"JSON 格式有误：{exc}") from exc
    data = definition.as_data()
    try:
        data["normalisation"] = post.get("normalisation", data["normalisation"])
        data["min_coverage"] = float(post.get("min_coverage", data["min_coverage"]))
        for d in data["dimensions"]:
            d["weight"] = float(post.get(f"w-{d['code']}", d["weight"]))
            for i in d["indicators"]:
                i["weight"] = float(post.get(f"w-{d['code']}-{i['code']}", i["weight"]))
                i["direction"] = int(post.get(f"d-{d['code']}-{i['code']}", i["direction"]))
    except ValueError as exc:
        raise IndexDefinitionError("权重须为数字") from exc
    return IndexDefinition.from_data(data)
