"""Read-side queries: editions, their measures, and which edition was in force on a day."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from zimao.accounts.access import Actor, visible

from .models import Edition, Measure, Sector

FIRST_LIST = date(2013, 9, 30)  # the first negative list (Shanghai FTZ) took effect that day


def editions(user: Actor) -> QuerySet[Edition]:
    return visible(user, Edition.objects.all())


def measures(user: Actor, edition: Edition) -> QuerySet[Measure]:
    return visible(user, Measure.objects.filter(edition=edition)).select_related("sector")


def sectors() -> list[Sector]:
    return list(Sector.objects.all())


def date_range(text: str) -> tuple[date, date] | None:
    """The first and last day a partial date can mean; None when it is empty."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


@dataclass(frozen=True)
class InForce:
    edition: Edition | None
    uncertain: list[Edition]  # editions that may have been in force instead (date not known)


def in_force(family: str, scope: str, day: date) -> InForce:
    """The edition of a family and scope in force on a day. An edition whose start is unknown
    (or known only to the month or year, around the day) makes the answer uncertain."""
    found = list(Edition.objects.filter(family=family, scope=scope))
    started: list[tuple[date, Edition]] = []
    unknown: list[Edition] = []
    for edition in found:
        span = date_range(edition.effective_date)
        if span is None:
            unknown.append(edition)
        elif span[1] < day or span[0] == span[1] == day:
            started.append((span[0], edition))
        elif span[0] <= day:
            unknown.append(edition)  # starts some day of that month or year
    current = max(started, key=lambda s: s[0])[1] if started else None
    floor = current.year if current else 0
    uncertain = [e for e in unknown if floor < e.year <= day.year]
    return InForce(current, uncertain)
