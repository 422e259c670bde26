from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, Actor, visible
from zimao.attachments.selectors import readable_attachments
from zimao.audit import writes
from zimao.audit.writes import EditConflict
from zimao.lib.exports import export_format, table_response
from zimao.lib.forms import add_errors
from zimao.lib.tabular import preview_rows, preview_upload
from zimao.zones.models import Zone

from .forms import AdoptionFilterForm, AdoptionForm, ItemFilterForm, ItemTermsForm
from .imports import (
    adoption_rows,
    adoptions_import,
    export_headers,
    parse_adoptions,
)
from .models import Adoption, ReplicationBatch, ReplicationItem
from .selectors import ItemFilters, all_zone_progress, batch_list, coverage, item_list
from .services import adoption_areas, adoption_set, adoption_zones, item_terms_update


def batch_index(request: HttpRequest) -> HttpResponse:
    return render(request, "replication/batch_list.html", {"batches": batch_list()})


def batch_detail(request: HttpRequest, code: str) -> HttpResponse:
    batch = get_object_or_404(ReplicationBatch, code=code)
    context = {
        "batch": batch,
        "counts": batch.counts.all(),
        "items": item_list(ItemFilters(batch=batch.code)),
    }
    return render(request, "replication/batch_detail.html", context)


def item_index(request: HttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET or None)
    items = item_list(form.filters())
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "total": items.count()}
    return render(request, "replication/item_list.html", context)


def _adoption_form(
    request: HttpRequest, item: ReplicationItem, data: object = None
) -> AdoptionForm:
    zones, areas = adoption_zones(request.user), adoption_areas(request.user)
    return AdoptionForm(data, item=item, zones=zones, areas=areas)


def _item_context(
    request: HttpRequest,
    item: ReplicationItem,
    form: AdoptionForm,
    terms_form: ItemTermsForm | None = None,
) -> dict[str, object]:
    can_edit_terms = writes.check_allowed(request.user, item, Action.EDIT)
    if terms_form is None and can_edit_terms:
        initial = {"description": item.description, "everyday_terms": item.everyday_terms}
        terms_form = ItemTermsForm(initial=initial)
    return {
        "terms_form": terms_form if can_edit_terms else None,
        "item": item,
        "adoptions": visible(
            request.user, item.adoptions.select_related("zone", "area")
        ).prefetch_related(readable_attachments(request.user, "adoption")),
        "adoption_form": form,
        "can_record": form.can_record,
    }


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(ReplicationItem.objects.select_related("batch", "domain"), code=code)
    context = _item_context(request, item, _adoption_form(request, item))
    return render(request, "replication/item_detail.html", context)


@require_POST
@login_required
def item_adoption(request: HttpRequest, code: str) -> HttpResponse:
    """An office records whether its zone (or area) has put the item in place; the page
    comes back with the input and the field named when something is wrong."""
    item = get_object_or_404(ReplicationItem, code=code)
    form = _adoption_form(request, item, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        area = data["area"]
        try:
            adoption_set(
                user=request.user,
                item=item,
                zone=area.zone if area else data["zone"],
                area=area,
                status=data["status"],
                date=data["date"],
                evidence=data["evidence"],
                version=data["version"] or None,
            )
        except EditConflict as exc:
            form.add_error(None, str(exc))
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已记录落地情况。"))
            return redirect(item)
    context = _item_context(request, item, form)
    return render(request, "replication/item_detail.html", context, status=400)


@require_POST
@login_required
def item_terms(request: HttpRequest, code: str) -> HttpResponse:
    """The national office edits an item's editorial description and everyday words; the page
    comes back with the input and the reason when they are refused."""
    item = get_object_or_404(ReplicationItem, code=code)
    form = ItemTermsForm(request.POST)
    if form.is_valid():
        try:
            item_terms_update(user=request.user, item=item, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已保存通俗说明与常用说法。"))
            return redirect(item)
    context = _item_context(request, item, _adoption_form(request, item), form)
    if context["terms_form"] is None:
        raise PermissionDenied(_("只有国家层面管理单位可以修改常用说法。"))
    return render(request, "replication/item_detail.html", context, status=400)


def coverage_matrix(request: HttpRequest) -> HttpResponseBase:
    """Items × zones: which zone has put which item in place (downloadable)."""
    form = ItemFilterForm(request.GET or None)
    items, statuses = coverage(form.filters())
    zones = list(Zone.objects.all())
    rows = [(item, [statuses.get((item.pk, z.pk), "") for z in zones]) for item in items]
    fmt = export_format(request)
    if fmt:
        labels = dict(Adoption.Status.choices)
        headers = [_("改革事项"), _("批次"), *[z.name for z in zones]]
        table = (
            [item.title, item.batch.label, *[labels.get(c, "") for c in cells]]
            for item, cells in rows
        )
        return table_response(_("复制推广落地情况"), headers, table, fmt)
    progress = all_zone_progress(zones, form.filters().batch)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "form": form,
        "zones": zones,
        "rows": rows,
        "progress": progress,
        "query": query.urlencode(),
    }
    return render(request, "replication/coverage.html", context)


def adoption_index(request: HttpRequest) -> HttpResponseBase:
    """Every recorded adoption the user may see, newest items first (downloadable)."""
    form = AdoptionFilterForm(request.GET or None)
    adoptions = visible(
        request.user, Adoption.objects.select_related("item__batch", "zone", "area")
    ).order_by("zone__batch", "zone_id", "item__batch__year", "item__seq", "id")
    if form.is_valid():
        if form.cleaned_data["zone"]:
            adoptions = adoptions.filter(zone__code=form.cleaned_data["zone"])
        if form.cleaned_data["status"]:
            adoptions = adoptions.filter(status=form.cleaned_data["status"])
    fmt = export_format(request)
    if fmt:
        rows = adoption_rows(adoptions.iterator())
        return table_response(_("落地记录"), export_headers(), rows, fmt)
    page = Paginator(adoptions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_import": request.user.is_authenticated and _may_import(request.user),
    }
    return render(request, "replication/adoption_list.html", context)


@login_required
def adoption_import(request: HttpRequest) -> HttpResponse:
    """Upload the 落地记录 file (as downloaded, filled in), see what would change, confirm."""
    if not _may_import(request.user):
        raise PermissionDenied(_("只有自贸试验区和片区的工作机构可以导入落地记录。"))
    key = "adoption-import"
    if request.method == "POST" and request.POST.get("confirm") and request.session.get(key):
        try:
            created, updated = adoptions_import(user=request.user, rows=request.session.pop(key))
        except EditConflict:
            messages.error(request, _("导入未执行：预览之后有记录被他人修改，请重新上传预览。"))
            return redirect("replication:adoption_import")
        except (ValidationError, PermissionDenied) as exc:
            text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, _("导入未执行：%(e)s") % {"e": text})
            return redirect("replication:adoption_import")
        messages.success(
            request, _("已导入：新增 %(c)s 条，更新 %(u)s 条。") % {"c": created, "u": updated}
        )
        return redirect("replication:adoptions")
    preview = preview_upload(
        request,
        key,
        lambda name, data: parse_adoptions(name, data, request.user),
        "adoptions.csv",
    )
    status = 400 if preview is not None and not preview.ok else 200
    context = {"preview": preview, "rows": preview_rows(preview)}
    return render(request, "replication/adoption_import.html", context, status=status)


def _may_import(user: Actor) -> bool:
    """Whether the user records adoptions for some zone or area (an office, not a reader)."""
    return adoption_zones(user).exists() or adoption_areas(user).exists()
