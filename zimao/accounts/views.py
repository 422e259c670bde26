from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; opening the page marks them read."""
    items = list(request.user.notifications.all()[:100])  # type: ignore[union-attr]
    request.user.notifications.filter(read_at=None).update(read_at=timezone.now())  # type: ignore[union-attr]
    return render(request, "accounts/notifications.html", {"items": items})
