import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, can_any, visible
from zimao.audit.writes import EditConflict
from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationItem
from zimao.text.passages import passages

from .analysis import analyse_bytes
from .forms import LinkInnovationForm, LinkItemForm, ReviewForm, UploadForm
from .models import Document, Fact
from .selectors import document_list, fact_list, highlighted_text, reviewable
from .services import (
    ReviewError,
    document_store,
    evidence_attach,
    fact_review,
    fact_to_innovation,
    fact_to_replication_item,
)


def _require_member(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Document):
        raise PermissionDenied(_("文档库仅向各级自贸办和研究人员开放。"))


@login_required
def document_index(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    documents = document_list(user=request.user)
    page = Paginator(documents, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": UploadForm(),
        "can_upload": can_any(request.user, Action.CREATE, Document),
    }
    return render(request, "documents/document_list.html", context)


@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    if not can_any(request.user, Action.CREATE, Document):
        raise PermissionDenied(_("您没有上传文档的权限。"))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        stored = document_store(
            analysis=analyse_bytes(upload.name, data), data=data, user=request.user
        )
        document = stored.document
        if document.status == Document.Status.FAILED:
            messages.error(request, _("无法读取该文件：%(error)s") % {"error": document.error})
        elif not stored.created:
            messages.info(request, _("该文件此前已导入，未重复保存。"))
        else:
            messages.success(
                request, _("已导入，共提取 %(n)s 条事实。") % {"n": document.facts.count()}
            )
        return redirect(document)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/upload.html", {"form": form}, status=status)


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_member(request)
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    facts = list(document.facts.select_related("innovation", "replication_item")[:5000])
    type_filter = request.GET.get("type", "")
    shown = [f for f in facts if not type_filter or f.type == type_filter]
    for fact in shown:
        fact.payload_json = json.dumps(fact.payload, ensure_ascii=False)  # type: ignore[attr-defined]
    context = {
        "document": document,
        "facts": shown,
        "highlighted": highlighted_text(
            document.text, shown, [offset for offset, _ in passages(document.text)]
        ),
        "types": sorted({f.type for f in facts}),
        "type_filter": type_filter,
        "review_form": ReviewForm(),
        "innovation_form": LinkInnovationForm(user=request.user),
        "item_form": LinkItemForm(),
        "reviewable": reviewable(request.user, document.facts.all()),
        "can_edit_items": can_any(request.user, Action.EDIT, ReplicationItem),
        "linked_innovations": set(
            visible(
                request.user,
                Innovation.objects.filter(pk__in={f.innovation_id for f in shown}),
            ).values_list("pk", flat=True)
        ),
    }
    return render(request, "documents/document_detail.html", context)


def _fact(request: HttpRequest, pk: int) -> Fact:
    return get_object_or_404(fact_list(user=request.user).select_related("document"), pk=pk)


@require_POST
@login_required
def fact_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    fact = _fact(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    else:
        try:
            fact_review(
                fact=fact,
                user=request.user,
                action=form.cleaned_data["action"],
                fields=form.cleaned_data["changes"],
            )
        except (ReviewError, EditConflict) as exc:
            messages.error(request, str(exc))
    return redirect(f"{fact.document.get_absolute_url()}#fact-{fact.pk}")


@require_POST
@login_required
def fact_link_view(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    fact = _fact(request, pk)
    try:
        if target == "innovation":
            form = LinkInnovationForm(request.POST, user=request.user)
            if form.is_valid():
                innovation = fact_to_innovation(
                    fact=fact, user=request.user, innovation=form.cleaned_data["innovation"]
                )
                messages.success(request, _("已关联制度创新成果：%(t)s") % {"t": innovation.title})
        else:
            item_form = LinkItemForm(request.POST)
            if item_form.is_valid():
                item = fact_to_replication_item(
                    fact=fact, user=request.user, batch=item_form.cleaned_data["batch"]
                )
                messages.success(request, _("已更新复制推广事项：%(t)s") % {"t": item.title})
            else:
                messages.error(request, _("请选择批次"))
    except (ReviewError, EditConflict) as exc:
        messages.error(request, str(exc))
    return redirect(f"{fact.document.get_absolute_url()}#fact-{fact.pk}")


@require_POST
@login_required
def innovation_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document the user may read as evidence of an innovation they may edit."""
    innovation = get_object_or_404(visible(request.user, Innovation.objects.all()), pk=pk)
    raw = request.POST.get("document", "")
    document = get_object_or_404(
        visible(request.user, Document.objects.filter(status="processed")),
        pk=int(raw) if raw.isdigit() and len(raw) < 10 else 0,
    )
    evidence_attach(user=request.user, record=innovation, document=document)
    messages.success(request, _("已关联佐证文档。"))
    return redirect(innovation)
