import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.search.services import passages

from .analysis import analyse_bytes
from .forms import LinkInnovationForm, LinkItemForm, ReviewForm, UploadForm
from .models import Document, Fact
from .selectors import document_list, highlighted_text
from .services import (
    ReviewError,
    document_store,
    fact_review,
    fact_to_innovation,
    fact_to_replication_item,
)


@login_required
def document_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(document_list(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documents/document_list.html", {"page": page, "form": UploadForm()})


@login_required
@permission_required("documents.add_document", raise_exception=True)
def document_upload(request: HttpRequest) -> HttpResponse:
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
    document = get_object_or_404(Document, pk=pk)
    facts = list(document.facts.select_related("innovation", "replication_item"))
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
        "innovation_form": LinkInnovationForm(),
        "item_form": LinkItemForm(),
    }
    return render(request, "documents/document_detail.html", context)


@require_POST
@login_required
@permission_required("documents.change_fact", raise_exception=True)
def fact_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    fact = get_object_or_404(Fact, pk=pk)
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
        except ReviewError as exc:
            messages.error(request, str(exc))
    return redirect(f"{fact.document.get_absolute_url()}#fact-{fact.pk}")


@require_POST
@login_required
@permission_required("documents.change_fact", raise_exception=True)
def fact_link_view(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    fact = get_object_or_404(Fact.objects.select_related("document"), pk=pk)
    try:
        if target == "innovation":
            form = LinkInnovationForm(request.POST)
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
    except ReviewError as exc:
        messages.error(request, str(exc))
    return redirect(f"{fact.document.get_absolute_url()}#fact-{fact.pk}")
