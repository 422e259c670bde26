from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification


def _mine(request: HttpRequest) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=request.user.pk or 0)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unread first then newest; each is marked read when opened."""
    items = list(_mine(request).order_by(F("read_at").asc(nulls_first=True), "-created_at")[:100])
    unread = sum(1 for n in items if n.read_at is None)
    return render(request, "accounts/notifications.html", {"items": items, "unread": unread})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    notification = get_object_or_404(_mine(request), pk=pk)
    if notification.read_at is None:
        _mine(request).filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("accounts:notifications")


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification read."""
    _mine(request).filter(read_at=None).update(read_at=timezone.now())
    return redirect("accounts:notifications")
