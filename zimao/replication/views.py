from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zimao.search.selectors import similar_to

from .forms import ItemFilterForm
from .models import ReplicationBatch, ReplicationItem
from .selectors import ItemFilters, batch_list, item_list


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


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(ReplicationItem.objects.select_related("batch", "domain"), code=code)
    context = {"item": item, "similar": similar_to("item", item.code)}
    return render(request, "replication/item_detail.html", context)
