"""Periodic work: a list of entries, each a plain function and how often it runs.

An entry's function takes the moment it is run for, `scheduled(now: datetime) -> None`, and is
idempotent. The job worker (and `zimao schedule run-due`, for a cron line) looks every minute for
entries whose current period has no run yet, and starts each as a job of its own kind
(`scheduled.<entry>`): visible on the jobs page, audited, and retried like any other. One
`ScheduledRun` row per (entry, period), under a unique key, is taken in the same transaction as
the job's start, so several workers polling at once start it once. Periods are local calendar
hours, days and months (settings.TIME_ZONE). A period that passes with no worker running is not
caught up: the next one runs, and `now` tells the function which period that is.

Other apps add entries to ENTRIES; the function lives with the feature it serves.
"""

import enum
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Actor, SystemActor

from .models import Job, ScheduledRun
from .progress import Progress
from .registry import Kind, Outcome, register
from .services import job_start

logger = logging.getLogger(__name__)
SCHEDULER = SystemActor("scheduler")
KIND_PREFIX = "scheduled."
POLL_SECONDS = 60  # how often a worker looks for due entries


class Cadence(enum.StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class Entry:
    name: str  # short and stable: the job kind is "scheduled.<name>", the lock row's key
    function: str  # dotted path to `scheduled(now: datetime) -> None`
    cadence: Cadence
    label: str | Promise  # shown on the jobs page (Chinese)

    @property
    def kind(self) -> str:
        return f"{KIND_PREFIX}{self.name}"


ENTRIES: list[Entry] = [
    Entry(
        "dbstats",
        "zimao.lib.dbstats.scheduled",
        Cadence.DAILY,
        gettext_lazy("更新数据库统计信息"),
    ),
    Entry(
        "task-deadlines",
        "zimao.reforms.deadlines.scheduled",
        Cadence.DAILY,
        gettext_lazy("提醒即将到期和逾期的试点任务"),
    ),
    Entry(
        "demand-deadlines",
        "zimao.demands.reminders.scheduled",
        Cadence.DAILY,
        gettext_lazy("提醒即将到期和逾期的企业诉求交办"),
    ),
    Entry(
        "demand-indicators",
        "zimao.demands.indicators.scheduled",
        Cadence.DAILY,
        gettext_lazy("按诉求记录计算各自贸试验区的企业诉求指标"),
    ),
    Entry(
        "alerts",
        "zimao.alerts.delivery.scheduled",
        Cadence.HOURLY,
        gettext_lazy("发送每日摘要和待重试的提醒"),
    ),
    Entry(
        "progress-reports",
        "zimao.reports.jobs.scheduled",
        Cadence.MONTHLY,
        gettext_lazy("生成上月工作进展报告"),
    ),
]


def period_of(cadence: Cadence, now: datetime) -> str:
    """The period `now` falls in, as text: 2026-12-06T08, 2026-12-06 or 2026-12 (local time)."""
    local = timezone.localtime(now) if timezone.is_aware(now) else now
    if cadence == Cadence.HOURLY:
        return f"{local:%Y-%m-%dT%H}"
    if cadence == Cadence.DAILY:
        return f"{local:%Y-%m-%d}"
    return f"{local:%Y-%m}"


def entry_named(name: str) -> Entry | None:
    return next((e for e in ENTRIES if e.name == name), None)


def _may_start(user: Actor) -> bool:
    return isinstance(user, SystemActor)  # started by the scheduler only; retried by offices


def _run(job: Job, progress: Progress) -> Outcome:
    """A scheduled job: call its entry's function with the moment it was due."""
    entry = entry_named(str(job.params.get("entry", "")))
    if entry is None:
        return Outcome(message=_("该定时任务已不再配置，未执行。"))
    now = datetime.fromisoformat(str(job.params["now"]))
    progress.start(1, _("正在执行定时任务：%(label)s") % {"label": entry.label})
    import_string(entry.function)(now)
    progress.step(1)
    return Outcome(
        message=_("定时任务已完成（周期 %(period)s）。") % {"period": job.params.get("period")}
    )


def register_kinds() -> None:
    """One job kind per entry, so each shows under its own name and keeps its own history."""
    for entry in ENTRIES:
        register(Kind(code=entry.kind, label=entry.label, run=_run, may_start=_may_start))


def run_due(now: datetime | None = None) -> list[Job]:
    """Start a job for every entry whose period at `now` has none yet; return the jobs
    started. Safe to call any number of times, from any number of processes."""
    now = now or timezone.now()
    started = []
    for entry in ENTRIES:
        if entry.name in settings.SCHEDULE_OFF:
            continue
        period = period_of(entry.cadence, now)
        if ScheduledRun.objects.filter(entry=entry.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(entry=entry.name, period=period)
                params = {"entry": entry.name, "period": period, "now": now.isoformat()}
                job = job_start(user=SCHEDULER, kind=entry.kind, params=params)
                ScheduledRun.objects.filter(pk=run.pk).update(job=job)
        except IntegrityError:
            continue  # another worker took this period first
        logger.info("scheduled %s for %s: job %s", entry.name, period, job.pk)
        started.append(job)
    return started


def schedule_forever(stop: threading.Event, poll: float = POLL_SECONDS) -> threading.Thread:
    """In a job worker: start what is due now and then every `poll` seconds until `stop`,
    from a daemon thread with its own connection. A failure (a locked or full database) is
    logged and tried again at the next poll."""

    def loop() -> None:
        try:
            while True:
                try:
                    run_due()
                except Exception:
                    logger.exception("the scheduler could not start the entries due")
                    connection.close()
                if stop.wait(poll):
                    return
        finally:
            connection.close()

    thread = threading.Thread(target=loop, name="job-scheduler", daemon=True)
    thread.start()
    return thread
