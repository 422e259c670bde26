from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zimao.reforms.services import visible_innovations
from zimao.zones.models import Zone

from .differentiation import zone_differentiation
from .forms import SearchForm
from .selectors import search


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if form.is_valid() and form.cleaned_data["q"]:
        raw_page = request.GET.get("page", "1")
        page = min(max(1, int(raw_page)), 500) if raw_page.isdigit() and len(raw_page) < 6 else 1
        size = settings.PAGE_SIZE // 2 or 10
        results = search(
            form.cleaned_data["q"],
            form.filters(),
            user=request.user,
            limit=size,
            offset=(page - 1) * size,
        )
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "outcome": results,
            "page": page,
            "query": query.urlencode(),
            "has_next": page * size < results.total,
            "has_previous": page > 1,
            "first_number": (page - 1) * size + 1,
            "relaxed_number": (page - 1) * size + 1 + len(results.strict_results),
        }
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "search/results.html", context, status=status)


def zone_differentiation_page(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    positions = zone_differentiation(zone.code, visible_innovations(request.user))
    context = {
        "zone": zone,
        "positions": positions,
        "unique": sum(p.unique for p in positions),
        "zones": {z.code: z for z in Zone.objects.all()},
    }
    return render(request, "search/differentiation.html", context)
