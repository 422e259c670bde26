"""Pages of the alignment measures: the list, one measure in every zone, the coverage matrix."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed, visible
from zimao.lib.tabular import export_format, table_response
from zimao.reforms.models import Innovation
from zimao.zones.models import Zone

from .forms import MatrixFilterForm, MeasureFilterForm
from .models import AlignmentMeasure, Batch, MeasureTask
from .selectors import (
    Cell,
    batches,
    default_batch,
    matrix,
    measure_zones,
    measures,
    rate_text,
)
from .services import alignment_assign, measure_task_link, visible_innovations


def _batch(request: HttpRequest) -> Batch:
    """The batch asked for (?batch=code), else the one with the most measures loaded."""
    found = batches(request.user)
    code = request.GET.get("batch", "")
    if code:
        return get_object_or_404(found, code=code)
    latest = default_batch(request.user)
    if latest is None:
        raise Http404(_("尚未载入对接措施。"))
    return latest


def _zones(batch: Batch) -> QuerySet[Zone]:
    return Zone.objects.filter(alignment_measures__batch=batch).distinct()


def measure_index(request: HttpRequest) -> HttpResponse:
    batch = _batch(request)
    form = MeasureFilterForm(request.GET or None, zones=_zones(batch))
    found = measures(request.user, batch, **form.values())
    page = Paginator(found, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "batch": batch,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "matrix": matrix(request.user, list(page.object_list)),
        "can_assign": allowed(request.user, Action.EDIT, batch),
        "others": batches(request.user).exclude(pk=batch.pk),
    }
    return render(request, "alignment/measure_list.html", context)


def matrix_page(request: HttpRequest) -> HttpResponseBase:
    """Measures × zones: each zone's status of each measure, with counts (downloadable)."""
    batch = _batch(request)
    form = MatrixFilterForm(request.GET or None, zones=_zones(batch))
    table = matrix(request.user, list(measures(request.user, batch, **form.values())))
    fmt = export_format(request)
    if fmt:
        headers = [_("措施"), _("领域"), *[z.name for z in table.zones], _("已实施 / 应实施")]
        rows = [
            [m.title, m.get_field_display(), *[c.label for c in cells],
             f"{tally.implemented}/{tally.applicable}"]
            for m, cells, tally in table.rows
        ]  # fmt: skip
        rows.append(
            [_("合计"), "", *[f"{t.implemented}/{t.applicable}" for t in table.columns],
             f"{table.total.implemented}/{table.total.applicable}"]
        )  # fmt: skip
        return table_response(_("对接措施落实情况"), headers, rows, fmt)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "batch": batch,
        "form": form,
        "matrix": table,
        "rows": [(m, cells_html(cells), tally) for m, cells, tally in table.rows],
        "rates": [rate_text(t.rate) for t in table.columns],
        "total_rate": rate_text(table.total.rate),
        "query": query.urlencode(),
    }
    return render(request, "alignment/matrix.html", context)


SYMBOLS = {"implemented": "✓", "in_progress": "…", "not_started": "○", "not_applicable": "–",
           "unassigned": "?", "": ""}  # fmt: skip


def cells_html(cells: list[Cell]) -> str:
    """A matrix row's cells, written in Python: a template loop over every cell of a large
    matrix costs most of the page's time."""
    labels: dict[str, str] = {}
    parts = []
    for cell in cells:
        if cell.status not in labels:
            labels[cell.status] = escape(cell.label)
        parts.append(
            f'<td class="cell-{cell.status or "none"}" data-zone="{escape(cell.zone.code)}" '
            f'title="{labels[cell.status]}">{SYMBOLS.get(cell.status, "")}</td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or fixed


def measure_detail(request: HttpRequest, batch: str, measure: str) -> HttpResponse:
    found = get_object_or_404(
        visible(request.user, AlignmentMeasure.objects.select_related("batch")),
        batch__code=batch, code=measure,
    )  # fmt: skip
    links = measure_zones(request.user, found)
    shown = visible(request.user, Innovation.objects.filter(alignment_tasks__measure=found))
    by_link: dict[int, list[Innovation]] = {}
    for innovation in shown.annotate(link=F("alignment_tasks__id")).order_by("-created_at"):
        by_link.setdefault(innovation.link, []).append(innovation)
    rows = []
    for link in links:
        editable = allowed(request.user, Action.EDIT, link)
        choices = visible_innovations(request.user, link.zone_id) if editable else []
        rows.append(
            {"link": link, "innovations": by_link.get(link.pk, []), "editable": editable,
             "can_progress": allowed(request.user, Action.EDIT, link.task), "choices": choices}
        )  # fmt: skip
    context = {"measure": found, "rows": rows, "zones": list(found.zones.all())}
    return render(request, "alignment/measure_detail.html", context)


@require_POST
@login_required
def assign(request: HttpRequest) -> HttpResponse:
    """The national office turns the batch's measures into pilot tasks in the zones."""
    batch = get_object_or_404(batches(request.user), code=request.POST.get("batch", ""))
    try:
        created = alignment_assign(user=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已下发 %(n)d 项试点任务。") % {"n": created})
    return redirect(f"/alignment/?batch={batch.code}")


@require_POST
@login_required
def link_innovations(request: HttpRequest, link_id: int) -> HttpResponse:
    """A zone office names the innovations it drew from a measure."""
    link = get_object_or_404(
        MeasureTask.objects.select_related("measure__batch", "zone"), pk=link_id
    )
    if not allowed(request.user, Action.EDIT, link):
        raise PermissionDenied(_("该试点任务不在您的职责范围内。"))
    raw = request.POST.getlist("innovations")
    if not all(value.isdigit() for value in raw):
        messages.error(request, _("所选制度创新成果无效。"))
        return redirect(link.measure.get_absolute_url())
    chosen = list(visible(request.user, Innovation.objects.filter(pk__in=[int(v) for v in raw])))
    if len(chosen) != len(set(raw)):
        messages.error(request, _("所选制度创新成果不存在或您无权查看。"))
        return redirect(link.measure.get_absolute_url())
    try:
        measure_task_link(user=request.user, link=link, innovations=chosen)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已更新由该措施形成的制度创新成果。"))
    return redirect(link.measure.get_absolute_url())
