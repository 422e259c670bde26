"""Sending deliveries: one attempt at a time, claimed so two workers never send the same
message twice, retried with a doubling back-off, every attempt logged; and the daily digest
that gathers a user's held e-mails into one."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import DeliveryError, post_webhook, send_email
from .models import Delivery
from .notify import SUBJECT_PREFIX

logger = logging.getLogger(__name__)
# While an attempt runs, the delivery is not due: a sweep leaves it to the sender.
LEASE = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: the base, doubled each time, at most a day."""
    seconds = settings.ALERT_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 86400))


def enqueue(ids: list[int], run_after: datetime | None = None) -> None:
    """Put deliveries on the job queue; a queue that takes no write is logged, and the
    periodic sweep (`scheduled`) sends them later."""
    from .tasks import deliver_task

    for pk in ids:
        try:
            target = deliver_task.using(run_after=run_after) if run_after else deliver_task
            target.enqueue(pk)
        except Exception:
            logger.exception("alerts: delivery %s could not be queued; the sweep will send it", pk)


def deliver(delivery_id: int, now: datetime | None = None) -> str:
    """One attempt at a pending delivery (the queue runs it when it is due); returns its
    state afterwards, or "skipped" when it is already sent, failed, or taken by another
    worker. `now`: the time to record (tests pass it; the worker uses the clock)."""
    now = now or timezone.now()
    found = Delivery.objects.filter(pk=delivery_id).select_related("user", "webhook").first()
    if found is None or found.state != Delivery.State.PENDING:
        return "skipped"
    claimed = Delivery.objects.filter(
        pk=found.pk, state=Delivery.State.PENDING, attempts=found.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    if not claimed:
        return "skipped"
    attempt = found.attempts + 1
    try:
        _send(found)
    except DeliveryError as exc:
        return _failed(found, attempt, str(exc), now)
    except Exception as exc:  # an unexpected error is a failed attempt, never a dead worker
        logger.exception("alerts: delivery %s failed unexpectedly", found.pk)
        return _failed(found, attempt, _("意外错误：%(e)s") % {"e": type(exc).__name__}, now)
    Delivery.objects.filter(pk=found.pk).update(
        state=Delivery.State.SENT, sent_at=now, next_attempt_at=None, last_error=""
    )
    logger.info("alerts: delivery %s (%s) sent on attempt %s", found.pk, found.channel, attempt)
    return Delivery.State.SENT


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        if delivery.user is None or not delivery.user.email:
            raise DeliveryError(_("该用户没有电子邮件地址"))
        send_email(delivery.user.email, delivery.subject, delivery.body)
    else:
        if delivery.webhook is None or not delivery.webhook.active:
            raise DeliveryError(_("群机器人已删除或停用"))
        post_webhook(delivery.webhook.url, delivery.body)


def _failed(delivery: Delivery, attempt: int, reason: str, now: datetime) -> str:
    if attempt >= settings.ALERT_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.FAILED, last_error=reason[:500], next_attempt_at=None
        )
        logger.warning(
            "alerts: delivery %s (%s) gave up after %s attempts: %s",
            delivery.pk,
            delivery.channel,
            attempt,
            reason,
        )
        return Delivery.State.FAILED
    retry_at = now + backoff(attempt)
    Delivery.objects.filter(pk=delivery.pk).update(
        last_error=reason[:500], next_attempt_at=retry_at
    )
    logger.warning(
        "alerts: delivery %s (%s) attempt %s failed, retry at %s: %s",
        delivery.pk,
        delivery.channel,
        attempt,
        retry_at.isoformat(),
        reason,
    )
    transaction.on_commit(lambda: enqueue([delivery.pk], run_after=retry_at))
    return Delivery.State.PENDING


def deliver_due(now: datetime) -> int:
    """Attempt every pending delivery that is due (queue entries lost, retries whose time
    has come); returns how many were sent."""
    due = Delivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at=None), state=Delivery.State.PENDING
    ).values_list("pk", flat=True)
    return sum(deliver(pk, now) == Delivery.State.SENT for pk in list(due.order_by("pk")))


def digest(now: datetime) -> int:
    """Gather each user's held e-mails into one digest e-mail for the day of `now`: once per
    user and day, however often this runs. Returns how many digests were made."""
    day = _local_day(now)
    made = 0
    users = (
        Delivery.objects.filter(state=Delivery.State.HELD)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in list(users):
        try:
            made += _digest_of(user_id, day, now)
        except IntegrityError:
            continue  # another run made this user's digest meanwhile
    return made


def _digest_of(user_id: int, day: date, now: datetime) -> int:
    with transaction.atomic():
        if Delivery.objects.filter(user_id=user_id, digest_day=day).exists():
            return 0  # today's digest went out; the rest waits for tomorrow's
        parts = list(
            Delivery.objects.select_for_update()
            .filter(user_id=user_id, state=Delivery.State.HELD)
            .order_by("created_at", "pk")
        )
        if not parts:
            return 0
        lines = [f"{n}. {p.body}" for n, p in enumerate(parts, start=1)]
        summary = Delivery.objects.create(
            channel=Delivery.Channel.EMAIL,
            user_id=user_id,
            subject=_("%(prefix)s每日提醒汇总（%(day)s，%(n)s 条）")
            % {"prefix": SUBJECT_PREFIX, "day": day.isoformat(), "n": len(parts)},
            body="\n\n".join(lines),
            state=Delivery.State.PENDING,
            created_at=now,
            next_attempt_at=now,
            digest_day=day,
        )
        Delivery.objects.filter(pk__in=[p.pk for p in parts]).update(
            state=Delivery.State.DIGESTED, digest=summary
        )
        transaction.on_commit(partial(enqueue, [summary.pk]))
    return 1


def _local_day(now: datetime) -> date:
    return timezone.localdate(now) if timezone.is_aware(now) else now.date()


@dataclass(frozen=True)
class Swept:
    digests: int
    sent: int


def scheduled(now: datetime) -> Swept:
    """The periodic work of alerts: from ALERT_DIGEST_HOUR on, each day's digests (once per
    user and day); then every due delivery (lost queue entries, retries). Safe to run often."""
    local = timezone.localtime(now) if timezone.is_aware(now) else now
    made = digest(now) if local.hour >= settings.ALERT_DIGEST_HOUR else 0
    return Swept(digests=made, sent=deliver_due(now))
