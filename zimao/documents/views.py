from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed, can_any, visible
from zimao.audit.writes import EditConflict
from zimao.jobs.services import JobStartFailed
from zimao.jobs.views import start_failed
from zimao.lib.labels import fact_type
from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationItem
from zimao.text.passages import passages

from .display import (
    Names,
    confidence_text,
    error_text,
    format_label,
    in_context,
    payload_rows,
)
from .forms import (
    BatchUploadForm,
    BulkByFilterForm,
    BulkReviewForm,
    DocumentFilterForm,
    FactCorrectionForm,
    LinkInnovationForm,
    LinkItemForm,
    RenameForm,
    ReviewForm,
    UploadForm,
)
from .jobs import bulk_review_start, filter_words, ingest_start
from .models import Document, Fact
from .selectors import (
    FactFilter,
    bulk_targets,
    document_list,
    fact_counts,
    fact_list,
    fingerprint,
    highlighted_text,
    reviewable,
)
from .services import (
    ReviewError,
    document_delete,
    document_rename,
    evidence_attach,
    fact_review,
    fact_to_innovation,
    fact_to_replication_item,
    facts_review,
)


def _require_member(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, Document):
        raise PermissionDenied(_("文档库仅向各级自贸办和研究人员开放。"))


@login_required
def document_index(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    filter_form = DocumentFilterForm(request.GET)
    keep = filter_form.filter()
    documents = document_list(user=request.user, keep=keep)
    page = Paginator(documents, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    for document in shown:
        document.format_label = format_label(document)
        document.error_label = error_text(document.error)
    context = {
        "page": page,
        "documents": shown,
        "form": BatchUploadForm(),
        "can_upload": can_any(request.user, Action.CREATE, Document),
        "filter_form": filter_form,
        "query": urlencode({k: v for k, v in request.GET.items() if k in filter_form.fields and v}),
        "filtered": any(v for k, v in request.GET.items() if k in filter_form.fields),
    }
    return render(request, "documents/document_list.html", context)


@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    """Keep the files and queue their reading: the answer is the job's progress page, at once,
    whatever the files hold (a hostile file costs the worker its capped reading only)."""
    if not can_any(request.user, Action.CREATE, Document):
        raise PermissionDenied(_("您没有上传文档的权限。"))
    form = BatchUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["file"]
        try:
            job = ingest_start(user=request.user, uploads=uploads)
        except JobStartFailed as exc:
            return start_failed(request, exc)
        if len(uploads) > 1:
            text = _("已将 %(n)s 个文件加入后台导入队列，可在本页查看进度。") % {"n": len(uploads)}
        else:
            text = _("已将文件加入后台导入队列，读取完成后本页给出结果和文档链接。")
        messages.success(request, text)
        return redirect(job)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/upload.html", {"form": form}, status=status)


@dataclass
class FactView:
    fact: Fact
    label: str
    before: str
    quoted: str
    after: str
    rows: list[tuple[str, str]]
    confidence: str
    form: FactCorrectionForm | None


FACTS_PER_PAGE = 50


def _fact_views(document: Document, facts: list[Fact], reviewable_ids: set[int]) -> list[FactView]:
    names = Names.load()
    zones = [("", "—"), *names.zones.items()]
    domains = [("", "—"), *names.domains.items()]
    views = []
    for fact in facts:
        before, quoted, after = in_context(document.text, fact)
        form = None
        if fact.pk in reviewable_ids:
            form = FactCorrectionForm(fact=fact, zones=zones, domains=domains)
        views.append(
            FactView(
                fact=fact,
                label=fact_type(fact.type),
                before=before,
                quoted=quoted,
                after=after,
                rows=payload_rows(fact, names),
                confidence=confidence_text(fact),
                form=form,
            )
        )
    return views


def _document_context(
    request: HttpRequest, document: Document, bound: FactCorrectionForm | None = None
) -> dict[str, object]:
    """The document with one page of its facts, filtered by type, review state and text. A
    page costs the same few queries whatever the number of facts: the counts are grouped,
    only the page's facts are loaded, and choices are read once for all its forms."""
    keep = FactFilter.from_query(request.GET)
    types, states = fact_counts(document)
    facts = keep.apply(document.facts.select_related("innovation", "replication_item"))
    page = Paginator(facts.order_by("start", "id"), FACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    if bound is not None and bound.fact.pk not in {f.pk for f in shown}:
        shown.insert(0, bound.fact)  # the fact whose correction came back with an error
    reviewable_ids = reviewable(request.user, Fact.objects.filter(pk__in=[f.pk for f in shown]))
    views = _fact_views(document, shown, reviewable_ids)
    if bound is not None:
        for view in views:
            if view.fact.pk == bound.fact.pk:
                view.form = bound
    may_review = bool(reviewable_ids) or (
        not shown and allowed(request.user, Action.REVIEW, Fact(document=document))
    )
    item_form = LinkItemForm()
    item_form.fields["batch"].widget.choices = list(item_form.fields["batch"].choices)  # type: ignore[attr-defined]
    return {
        "document": document,
        "format": format_label(document),
        "error": error_text(document.error),
        "facts": views,
        "page": page,
        "query": keep.query(),
        "filter": keep,
        "filtered": bool(keep),
        "matching": page.paginator.count,
        "highlighted": highlighted_text(
            document.text, shown, [offset for offset, _ in passages(document.text)]
        ),
        "types": [(t, fact_type(t), n) for t, n in sorted(types.items())],
        "states": [(code, label, states.get(code, 0)) for code, label in Fact.State.choices],
        "total": sum(types.values()),
        "type_filter": keep.type,
        "innovation_form": LinkInnovationForm(user=request.user),
        "item_form": item_form,
        "reviewable": reviewable_ids,
        "can_bulk": bool(reviewable_ids),
        "can_review": may_review,
        "can_edit_items": can_any(request.user, Action.EDIT, ReplicationItem),
        "can_rename": allowed(request.user, Action.EDIT, document),
        "can_delete": document.status == Document.Status.FAILED
        and allowed(request.user, Action.EDIT, document),
        "linked_innovations": set(
            visible(
                request.user,
                Innovation.objects.filter(pk__in={f.innovation_id for f in shown}),
            ).values_list("pk", flat=True)
        ),
        "retry_form": UploadForm(),
        "rename_form": RenameForm(initial={"title": document.title, "was": document.title}),
    }


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_member(request)
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    return render(request, "documents/document_detail.html", _document_context(request, document))


def _fact(request: HttpRequest, pk: int) -> Fact:
    return get_object_or_404(fact_list(user=request.user).select_related("document"), pk=pk)


@require_POST
@login_required
def fact_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, reject, or correct a fact with the typed fields of its kind; a wrong value comes
    back next to its field with the reviewer's input kept."""
    fact = _fact(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知的审核操作"))
        return redirect(f"{fact.document.get_absolute_url()}#fact-{fact.pk}")
    action = form.cleaned_data["action"]
    fields = None
    if action == "correct":
        correction = FactCorrectionForm(request.POST, fact=fact)
        if not correction.is_valid():
            document = get_object_or_404(document_list(user=request.user), pk=fact.document_id)
            context = _document_context(request, document, bound=correction)
            return render(request, "documents/document_detail.html", context, status=400)
        fields = correction.changes()
    try:
        fact_review(fact=fact, user=request.user, action=action, fields=fields)
    except (ReviewError, EditConflict) as exc:
        messages.error(request, str(exc))
    else:
        done = {"accept": _("已采纳。"), "reject": _("已驳回。"), "correct": _("已保存更正。")}
        messages.success(request, done[action])
    return redirect(f"{fact.document.get_absolute_url()}#fact-{fact.pk}")


@require_POST
@login_required
def fact_bulk_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject the ticked facts of a document, each through the review service."""
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    mine = visible(request.user, document.facts.all(), Action.REVIEW)
    form = BulkReviewForm(request.POST, choices=list(mine.values_list("pk", flat=True)))
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(document)
    facts = list(mine.filter(pk__in=form.cleaned_data["facts"]))
    try:
        count = facts_review(facts=facts, user=request.user, action=form.cleaned_data["action"])
    except (ReviewError, EditConflict) as exc:
        messages.error(request, str(exc))
    else:
        verb = _("采纳") if form.cleaned_data["action"] == "accept" else _("驳回")
        messages.success(request, _("已%(v)s %(n)s 条事实。") % {"v": verb, "n": count})
    return redirect(document)


@login_required
def fact_bulk_by_filter(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject every fact matching the review page's filter. GET shows how many (and
    in which states) on a confirm page; POST carries the fingerprint of what was shown and
    writes nothing if the matching facts changed meanwhile (another reviewer's decision is
    never overwritten unseen). The decisions are written by a job (a thousand facts take
    seconds), each fact through the review service at the version counted, and audited."""
    _require_member(request)
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    if not allowed(request.user, Action.REVIEW, Fact(document=document)):
        raise PermissionDenied(_("该文档的事实不在您的审核范围内。"))
    keep = FactFilter.from_query(request.POST if request.method == "POST" else request.GET)
    back = f"{document.get_absolute_url()}?{keep.query()}"
    form = BulkByFilterForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("未知的审核操作"))
        return redirect(back)
    action = form.cleaned_data["action"]
    targets = bulk_targets(request.user, document, keep, action)
    pairs = list(targets.values_list("pk", "version"))
    count, digest = len(pairs), fingerprint(pairs)
    verb = _("采纳") if action == "accept" else _("驳回")
    context = {
        "document": document,
        "action": action,
        "verb": verb,
        "count": count,
        "seen": digest,
        "filter": keep,
        "filter_words": filter_words(keep),
        "back": back,
        "by_state": [
            (Fact.State(state).label, n)
            for state, n in targets.order_by()
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        ],
    }
    if count == 0:
        messages.info(request, _("没有需要%(v)s的事实。") % {"v": verb})
        return redirect(back)
    if request.method != "POST":
        return render(request, "documents/bulk_confirm.html", context)
    if form.cleaned_data["seen"] != digest:
        context["changed"] = True
        return render(request, "documents/bulk_confirm.html", context, status=409)
    try:
        job = bulk_review_start(
            user=request.user, document=document, keep=keep, action=action, counted=dict(pairs)
        )
    except JobStartFailed as exc:
        return start_failed(request, exc)
    messages.success(
        request,
        _("已将 %(n)s 条事实的%(v)s加入后台队列，可在本页查看进度。") % {"n": count, "v": verb},
    )
    return redirect(job)


@require_POST
@login_required
def document_rename_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    if not allowed(request.user, Action.EDIT, document):
        raise PermissionDenied(_("该文档不在您的职责范围内。"))
    form = RenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(document)
    try:
        document_rename(
            user=request.user,
            document=document,
            title=form.cleaned_data["title"],
            seen=form.cleaned_data["was"],
        )
    except ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已重命名。"))
    return redirect(document)


@require_POST
@login_required
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    if not allowed(request.user, Action.EDIT, document):
        raise PermissionDenied(_("该文档不在您的职责范围内。"))
    try:
        document_delete(user=request.user, document=document)
    except ReviewError as exc:
        messages.error(request, str(exc))
        return redirect(document)
    messages.success(request, _("已删除文档：%(t)s") % {"t": document.title})
    return redirect("documents:list")


@require_POST
@login_required
def document_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the file again (or a corrected one) for a document that failed."""
    document = get_object_or_404(document_list(user=request.user), pk=pk)
    if not allowed(request.user, Action.EDIT, document):
        raise PermissionDenied(_("该文档不在您的职责范围内。"))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _document_context(request, document) | {"retry_form": form}
        return render(request, "documents/document_detail.html", context, status=400)
    if document.status != Document.Status.FAILED:
        messages.error(request, _("只有处理失败的文档才能重试"))
        return redirect(document)
    try:
        job = ingest_start(user=request.user, uploads=[form.cleaned_data["file"]], retry=document)
    except JobStartFailed as exc:
        return start_failed(request, exc)
    messages.success(request, _("已将文件加入后台导入队列，读取完成后本页给出结果和文档链接。"))
    return redirect(job)


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
    try:
        evidence_attach(user=request.user, record=innovation, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(innovation)
    messages.success(request, _("已关联佐证文档。"))
    return redirect(innovation)
