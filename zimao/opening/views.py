"""Pages of the opening lists: editions, one edition, the diff, the admission check."""

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, render

from zimao.lib.tabular import export_format, table_response

from .admission import check_admission
from .diff import HEADERS, STATUSES, diff_editions, diff_rows, status_label, timeline
from .forms import CheckForm, DiffForm
from .index import RULE_VERSION, edition_index, openness_rows, openness_series
from .models import Edition
from .selectors import editions, measures


def edition_list(request: HttpRequest) -> HttpResponseBase:
    chart = openness_series()
    context = {"editions": editions(request.user), "chart": chart, "rows": openness_rows(chart)}
    return render(request, "opening/edition_list.html", context)


def edition_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    edition = get_object_or_404(editions(request.user), code=code)
    context = {
        "edition": edition,
        "measures": measures(request.user, edition),
        # the index scores foreign-investment access; the other families are not scored by it
        "index": edition_index(edition)
        if edition.family == Edition.Family.FOREIGN_INVESTMENT
        else None,
        "rule_version": RULE_VERSION,
    }
    return render(request, "opening/edition_detail.html", context)


def diff_page(request: HttpRequest) -> HttpResponseBase:
    form = DiffForm(request.GET or None)
    for name in ("old", "new"):
        form.fields[name].queryset = editions(request.user)  # type: ignore[attr-defined]
    result = None
    if form.is_valid():
        result = diff_editions(form.cleaned_data["old"], form.cleaned_data["new"])
        fmt = export_format(request)
        if fmt:
            name = f"{result.old.code}-{result.new.code}"
            return table_response(name, HEADERS, diff_rows(result), fmt)
    counts = [(status_label(s), result.counts[s]) for s in STATUSES] if result else []
    context = {"form": form, "result": result, "counts": counts}
    return render(request, "opening/diff.html", context)


def check_page(request: HttpRequest) -> HttpResponseBase:
    form = CheckForm(request.GET or None)
    answer = None
    if form.is_valid():
        data = form.cleaned_data
        answer = check_admission(
            activity=data["activity"], foreign_share=data["foreign_share"], mode=data["mode"],
            place=data["place"], day=data["day"],
        )  # fmt: skip
    return render(request, "opening/check.html", {"form": form, "answer": answer})


def timeline_page(request: HttpRequest) -> HttpResponseBase:
    columns, rows = timeline()
    return render(request, "opening/timeline.html", {"columns": columns, "rows": rows})
