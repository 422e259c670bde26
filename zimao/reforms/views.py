from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zimao.search.selectors import similar_to

from .models import Innovation


def innovation_index(request: HttpRequest) -> HttpResponse:
    innovations = Innovation.objects.select_related("zone", "domain").order_by("-created_at", "-id")
    page = Paginator(innovations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reforms/innovation_list.html", {"page": page})


def innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(Innovation.objects.select_related("zone", "domain"), pk=pk)
    context = {
        "innovation": innovation,
        "effects": innovation.effects.all(),
        "similar": similar_to("innovation", str(innovation.pk)),
    }
    return render(request, "reforms/innovation_detail.html", context)
