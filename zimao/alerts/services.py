"""Writes of alert settings, through the one write path (audited)."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from zimao.accounts.access import Actor, memberships_of
from zimao.accounts.models import Role, User
from zimao.audit import writes
from zimao.zones.models import Area, Zone

from .channels import check_webhook_url
from .delivery import enqueue
from .models import Delivery, Preference, Webhook

PREFERENCE_FIELDS = ("email", "webhook", "mode")
WEBHOOK_FIELDS = ("name", "service", "url", "province", "zone", "area", "active")


def preference_save(*, user: User, email: bool, webhook: bool, mode: str) -> Preference:
    values = {"email": email, "webhook": webhook, "mode": mode}
    current = Preference.objects.filter(user=user).first()
    if current is None:
        record = Preference(user=user, **values)
        return writes.create(user=user, record=record, fields=PREFERENCE_FIELDS)
    return writes.update(user=user, record=current, changes=values, fields=PREFERENCE_FIELDS)


def office_choices(user: Actor) -> list[tuple[str, str]]:
    """The offices a user may add a group robot for: each of their own (key, name)."""
    choices: list[tuple[str, str]] = []
    for m in memberships_of(user):
        if m.role == Role.AREA and m.area is not None:
            choices.append((f"area:{m.area.pk}", str(m.area)))
        elif m.role == Role.ZONE and m.zone is not None:
            choices.append((f"zone:{m.zone.code}", str(m.zone)))
        elif m.role == Role.PROVINCIAL and m.province:
            choices.append((f"province:{m.province}", m.province))
        elif m.role == Role.NATIONAL:
            choices.append(("nation:", "全国"))
    return choices


def webhook_create(*, user: Actor, name: str, service: str, url: str, office: str) -> Webhook:
    """A group robot for one office (`area:<id>`, `zone:<code>`, `province:<name>` or
    `nation:`); the address must be on the allow-list."""
    kind, _sep, key = office.partition(":")
    robot = Webhook(name=name.strip(), service=service, url=check_webhook_url(url))
    if kind == "area":
        area = Area.objects.select_related("zone").get(pk=int(key))
        robot.area, robot.zone, robot.province = area, area.zone, area.zone.province
    elif kind == "zone":
        zone = Zone.objects.get(code=key)
        robot.zone, robot.province = zone, zone.province
    elif kind == "province":
        robot.province = key
    return writes.create(user=user, record=robot, fields=WEBHOOK_FIELDS)


def webhook_test(*, user: User, webhook: Webhook, now: datetime) -> Delivery:
    """Queue a test message to a group robot, so an office sees its configuration work (the
    result shows on the group robots page)."""
    text = _("群机器人测试消息：%(name)s 已接入 Zimao 提醒（%(who)s 发送）") % {
        "name": webhook.name,
        "who": user,
    }
    delivery = Delivery.objects.create(
        channel=Delivery.Channel.WEBHOOK,
        webhook=webhook,
        subject=text[:200],
        body=text,
        state=Delivery.State.PENDING,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(partial(enqueue, [delivery.pk]))
    return delivery


def webhook_toggle_active(*, user: Actor, webhook: Webhook) -> Webhook:
    changes = {"active": not webhook.active}
    return writes.update(user=user, record=webhook, changes=changes, fields=WEBHOOK_FIELDS)
