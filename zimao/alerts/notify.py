"""The one way to tell people something: store the in-app notification and queue its
delivery to each person's channels (e-mail, the office's group robot), after the commit.

Delivery is planned inside a savepoint and sent by the job queue: a failure to plan or queue
is logged and never fails the caller's request."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from zimao.accounts.models import Membership, Notification, Role, User

from .models import Delivery, Preference, Webhook

logger = logging.getLogger(__name__)
SUBJECT_PREFIX = "【Zimao】"


def notify(
    users: Iterable[User],
    text: str,
    url: str = "",
    kind: str = "",
    now: datetime | None = None,
) -> list[Notification]:
    """Notify each user once (in the app, and on their channels); returns the notifications.
    `now`: when the deliveries become due (a scheduled run passes its own time)."""
    people = {u.pk: u for u in users if u.is_active}
    notes = Notification.objects.bulk_create(
        Notification(user=u, text=text[:300], url=url[:300], kind=kind) for u in people.values()
    )
    if not notes:
        return notes
    try:
        with transaction.atomic():
            moment = now or timezone.now()
            ids = plan_deliveries(list(people.values()), notes, text, url, moment)
    except DatabaseError:
        logger.exception("alerts: deliveries of %r could not be planned", text[:60])
        return notes
    if ids:
        from .delivery import enqueue  # delivery imports this module's helpers

        transaction.on_commit(lambda: enqueue(ids))
    return notes


def link(url: str) -> str:
    """A page path as a full address people can open from their mail or chat."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def message(text: str, url: str) -> str:
    full = link(url)
    return f"{text}\n{full}" if full else text


def preference_of(user: User) -> Preference:
    """The user's saved preference, or the defaults (not stored)."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def _active_robots() -> list[Webhook]:
    return list(Webhook.objects.filter(active=True))


def _robots_of(memberships: list[Membership], robots: list[Webhook]) -> list[Webhook]:
    """The robots of these memberships' offices: an area's, a zone's own (not its areas'),
    a province's own, or the nation's."""
    found: dict[int, Webhook] = {}
    for m in memberships:
        for w in robots:
            if (
                (m.role == Role.AREA and m.area_id and w.area_id == m.area_id)
                or (m.role == Role.ZONE and m.zone_id and w.zone_id == m.zone_id and not w.area_id)
                or (
                    m.role == Role.PROVINCIAL
                    and m.province
                    and w.province == m.province
                    and not w.zone_id
                    and not w.area_id
                )
                or (m.role == Role.NATIONAL and not (w.province or w.zone_id or w.area_id))
            ):
                found[w.pk] = w
    return list(found.values())


def plan_deliveries(
    users: list[User], notes: list[Notification], text: str, url: str, now: datetime
) -> list[int]:
    """One e-mail per user who wants e-mail (held for the digest, or pending), and one post
    per group robot of the users who want them (each robot once). Returns the pending ids."""
    by_user = {n.user_id: n for n in notes}
    body = message(text, url)
    subject = (SUBJECT_PREFIX + text)[:200]
    rows: list[Delivery] = []
    robots: dict[int, Webhook] = {}
    saved = {p.user_id: p for p in Preference.objects.filter(user__in=users)}
    memberships: dict[int, list[Membership]] = {}
    for m in Membership.objects.filter(user__in=users):
        memberships.setdefault(m.user_id, []).append(m)
    active = _active_robots() if memberships else []
    for user in users:
        preference = saved.get(user.pk) or Preference(user=user)
        if preference.email and user.email:
            held = preference.mode == Preference.Mode.DIGEST
            rows.append(
                Delivery(
                    channel=Delivery.Channel.EMAIL,
                    user=user,
                    notification=by_user.get(user.pk),
                    subject=subject,
                    body=body,
                    state=Delivery.State.HELD if held else Delivery.State.PENDING,
                    created_at=now,
                    next_attempt_at=None if held else now,
                )
            )
        if preference.webhook:
            mine = _robots_of(memberships.get(user.pk, []), active)
            robots.update({w.pk: w for w in mine})
    for robot in robots.values():
        rows.append(
            Delivery(
                channel=Delivery.Channel.WEBHOOK,
                webhook=robot,
                subject=subject,
                body=body,
                state=Delivery.State.PENDING,
                created_at=now,
                next_attempt_at=now,
            )
        )
    made = Delivery.objects.bulk_create(rows)
    return [d.pk for d in made if d.state == Delivery.State.PENDING]
