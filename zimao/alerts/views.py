"""The alert pages: a user's own channels, and the group robots of the user's offices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed, visible
from zimao.accounts.models import User

from .forms import PreferenceForm, WebhookForm
from .models import Delivery, Webhook
from .notify import preference_of
from .services import (
    office_choices,
    preference_save,
    webhook_create,
    webhook_test,
    webhook_toggle_active,
)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Channels on or off, at once or as a daily digest; and the last deliveries to the user."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    current = preference_of(user)
    initial = {"email": current.email, "webhook": current.webhook, "mode": current.mode}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        preference_save(user=user, **form.cleaned_data)
        messages.success(request, _("已保存提醒设置。"))
        return redirect("alerts:preferences")
    recent = Delivery.objects.filter(user=user).order_by("-created_at", "-pk")[:10]
    context = {
        "form": form,
        "recent": recent,
        "has_email": bool(user.email),
        "may_robots": bool(office_choices(user)),
    }
    return render(request, "alerts/preferences.html", context, status=400 if form.errors else 200)


@login_required
def webhooks(request: HttpRequest) -> HttpResponse:
    """The group robots the user may manage, and a form to add one for an own office."""
    offices = office_choices(request.user)
    if not offices:
        raise PermissionDenied(_("只有各级自贸办和片区管委会可以配置群机器人。"))
    form = WebhookForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        webhook_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("已添加群机器人。"))
        return redirect("alerts:webhooks")
    robots = visible(request.user, Webhook.objects.select_related("zone", "area"), Action.EDIT)
    sent = Delivery.objects.filter(webhook__in=robots).select_related("webhook")
    context = {"form": form, "robots": robots, "recent": sent.order_by("-created_at", "-pk")[:10]}
    return render(request, "alerts/webhooks.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def webhook_test_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a test message to a robot of the user's office, through the queue."""
    robot = get_object_or_404(Webhook, pk=pk)
    user = request.user
    if not isinstance(user, User) or not allowed(user, Action.EDIT, robot):
        raise PermissionDenied(_("该群机器人不属于您的单位。"))
    webhook_test(user=user, webhook=robot, now=timezone.now())
    messages.success(request, _("测试消息已加入发送队列，请稍后在群里查看；结果见下表。"))
    return redirect("alerts:webhooks")


@require_POST
@login_required
def webhook_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    robot = get_object_or_404(Webhook, pk=pk)
    if not allowed(request.user, Action.EDIT, robot):
        raise PermissionDenied(_("该群机器人不属于您的单位。"))
    webhook_toggle_active(user=request.user, webhook=robot)
    return redirect("alerts:webhooks")
