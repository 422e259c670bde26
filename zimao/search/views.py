from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import scope_q, visible
from zimao.zones.models import Zone

from .differentiation import PAGE, zone_differentiation
from .forms import SaveSearchForm, SearchForm
from .models import SavedSearch, SearchEntry
from .selectors import search
from .services import saved_search_create, saved_search_delete


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
        zone_code = results.filters.zone or results.query.zone
        context |= {
            "outcome": results,
            "zone": Zone.objects.filter(code=zone_code).first() if zone_code else None,
            "page": page,
            "query": query.urlencode(),
            "has_next": page * size < results.total,
            "has_previous": page > 1,
            "first_number": (page - 1) * size + 1,
            "relaxed_number": (page - 1) * size + 1 + len(results.strict_results),
            "save_form": SaveSearchForm(initial={"name": form.cleaned_data["q"][:100]}),
        }
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "search/results.html", context, status=status)


@require_POST
@login_required
def saved_search_new(request: HttpRequest) -> HttpResponse:
    """Keep the current search under a name; it appears on the workbench."""
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        try:
            saved = saved_search_create(
                user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已保存检索：%(n)s") % {"n": saved.name})
            return redirect(saved.get_absolute_url())
    else:
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
    query = form.cleaned_data.get("query", "") if hasattr(form, "cleaned_data") else ""
    target = reverse("search:results")
    return redirect(f"{target}?{query}" if query else target)


@require_POST
@login_required
def saved_search_remove(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(visible(request.user, SavedSearch.objects.all()), pk=pk)
    saved_search_delete(user=request.user, saved=saved)
    messages.success(request, _("已删除保存的检索。"))
    return redirect("workbench")


def zone_differentiation_page(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    raw_page = request.GET.get("page", "1")
    page = min(max(1, int(raw_page)), 1000) if raw_page.isdigit() and len(raw_page) < 6 else 1
    result = zone_differentiation(
        zone.code, scope_q(request.user, SearchEntry), offset=(page - 1) * PAGE
    )
    context = {
        "zone": zone,
        "positions": result.positions,
        "total": result.total,
        "unique": result.unique,
        "replicated": result.replicated,
        "page": page,
        "has_previous": page > 1,
        "has_next": page * PAGE < result.total,
    }
    return render(request, "search/differentiation.html", context)
