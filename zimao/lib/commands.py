"""What the periodic commands share: the `--now` a run acts as (tests and catch-up runs pass a
time; cron passes none)."""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def moment(text: str) -> datetime:
    """An ISO 8601 time; without an offset, in the site's time zone."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--now: not an ISO 8601 time: {text!r}") from exc
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def acting_now(text: str | None) -> datetime:
    """The time a run acts as: `--now` when given, else the present."""
    return moment(text) if text else timezone.now()
