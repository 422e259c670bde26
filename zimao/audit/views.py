from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, can_any

from .display import describe, record_type_label
from .models import AuditEvent
from .selectors import AuditFilters, audit_events, record_types


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("操作人"), required=False, max_length=150)
    record_type = forms.ChoiceField(label=_("记录类型"), required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("全部")), *record_types()]
        self.fields["record_type"].choices = choices  # type: ignore[attr-defined]


def _require_reader(request: HttpRequest) -> None:
    if not can_any(request.user, Action.VIEW, AuditEvent):
        raise PermissionDenied(_("审计日志仅向各级自贸办和研究人员开放。"))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """All changes, newest first, filterable by user, record type and date."""
    _require_reader(request)
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = AuditFilters(**{k: v for k, v in data.items() if v})
    events = audit_events(filters, user=request.user)
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "views": describe(page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "audit/log.html", context)


@login_required
def record_history(request: HttpRequest, record_type: str, record_id: str) -> HttpResponse:
    """Every change of one record."""
    _require_reader(request)
    filters = AuditFilters(record_type=record_type[:50], record_id=record_id[:64])
    events = audit_events(filters, user=request.user)[:500]
    views = describe(events)
    label = views[0].record if views else record_type_label(record_type)
    context = {"events": events, "views": views, "record_label": label}
    return render(request, "audit/record.html", context)
