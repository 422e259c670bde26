from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import SearchForm
from .selectors import search


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if form.is_valid() and form.cleaned_data["q"]:
        raw_page = request.GET.get("page", "1")
        page = max(1, int(raw_page)) if raw_page.isdigit() else 1
        size = settings.PAGE_SIZE // 2 or 10
        results = search(
            form.cleaned_data["q"], form.filters(), limit=size, offset=(page - 1) * size
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
