"""The scheduler: each entry once per period, as a job of its own kind, with `now` passed in
(no test reads the clock), even when several processes look at the same moment."""

import subprocess
from datetime import UTC, datetime

import pytest
from django.db import connection

from tests.ops.helpers import ZIMAO
from tests.test_jobs import run_worker, worker_env
from zimao.audit.models import AuditEvent
from zimao.jobs import schedule
from zimao.jobs.models import Job, ScheduledRun
from zimao.jobs.registry import kind_of
from zimao.jobs.schedule import Cadence, Entry, period_of, run_due
from zimao.jobs.services import job_run

CALLS: list[datetime] = []


def record_call(now: datetime) -> None:
    """A scheduled function for the tests: it notes the moment it was run for."""
    CALLS.append(now)


@pytest.fixture
def hourly_entry(monkeypatch):
    entry = Entry("test-hourly", "tests.test_schedule.record_call", Cadence.HOURLY, "测试")
    daily = schedule.entry_named("dbstats")
    monkeypatch.setattr(schedule, "ENTRIES", [daily, entry])  # the others have tests of their own
    schedule.register_kinds()
    CALLS.clear()
    return entry


# 2026-12-05 16:30 UTC is 2026-12-06 00:30 in Beijing: periods follow the site's local calendar.
MIDNIGHT_PAST = datetime(2026, 12, 5, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cadence", "period"),
    [
        (Cadence.HOURLY, "2026-12-06T00"),
        (Cadence.DAILY, "2026-12-06"),
        (Cadence.MONTHLY, "2026-12"),
    ],
)
def test_periods_are_local_calendar_hours_days_and_months(cadence, period):
    assert period_of(cadence, MIDNIGHT_PAST) == period


@pytest.mark.django_db
def test_each_entry_starts_once_per_period_as_a_job_of_its_own_kind(hourly_entry):
    started = run_due(MIDNIGHT_PAST)
    assert sorted(job.kind for job in started) == ["scheduled.dbstats", "scheduled.test-hourly"]
    assert run_due(MIDNIGHT_PAST) == []  # same periods: nothing again
    later = datetime(2026, 12, 5, 17, 5, tzinfo=UTC)  # the next hour, the same day
    assert [job.kind for job in run_due(later)] == ["scheduled.test-hourly"]
    assert sorted(ScheduledRun.objects.values_list("entry", "period")) == [
        ("dbstats", "2026-12-06"),
        ("test-hourly", "2026-12-06T00"),
        ("test-hourly", "2026-12-06T01"),
    ]
    job = Job.objects.get(kind="scheduled.test-hourly", params__period="2026-12-06T00")
    assert kind_of(job.kind) is not None and job.state == Job.State.QUEUED
    assert AuditEvent.objects.filter(action="job_start", record_id=str(job.pk)).exists()


@pytest.mark.django_db
def test_a_period_another_worker_took_is_not_started_again(hourly_entry):
    ScheduledRun.objects.create(entry="test-hourly", period="2026-12-06T00")
    started = run_due(MIDNIGHT_PAST)
    assert [job.kind for job in started] == ["scheduled.dbstats"]


@pytest.mark.django_db
def test_the_job_calls_the_function_with_the_moment_it_was_due(hourly_entry):
    job = next(j for j in run_due(MIDNIGHT_PAST) if j.kind == "scheduled.test-hourly")
    assert job_run(job.pk, job.attempt) == Job.State.DONE
    assert CALLS == [MIDNIGHT_PAST]
    job.refresh_from_db()
    assert "2026-12-06T00" in job.message


@pytest.mark.django_db
def test_the_daily_statistics_entry_refreshes_the_planner_statistics():
    job = next(j for j in run_due(MIDNIGHT_PAST) if j.kind == "scheduled.dbstats")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")
    assert job_run(job.pk, job.attempt) == Job.State.DONE
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
            assert cursor.fetchone()[0] > 0


@pytest.fixture
def instance(settings, tmp_path):
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    settings.JOBS_DIR = var / "jobs"
    return var


@pytest.mark.django_db(transaction=True)
def test_processes_looking_at_once_start_each_period_once_and_the_worker_runs_it(instance):
    """Three `zimao schedule run-due` processes at the same moment (as three workers would
    poll): one job for the day, which a real worker then runs."""
    now = "2026-12-06T09:00:00+08:00"
    processes = [
        subprocess.Popen(
            [*ZIMAO, "schedule", "run-due", "--now", now],
            env=worker_env(instance),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    assert sum("started scheduled.dbstats" in out for out in outputs) == 1
    daily = ScheduledRun.objects.filter(entry="dbstats").values_list("entry", "period")
    assert list(daily) == [("dbstats", "2026-12-06")]
    assert not ScheduledRun.objects.filter(entry="progress-reports").exists()  # turned off
    job = Job.objects.get(kind="scheduled.dbstats")
    run_worker(instance)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    again = subprocess.run(
        [*ZIMAO, "schedule", "run-due", "--now", now],
        env=worker_env(instance),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "nothing due" in again.stdout
    assert Job.objects.filter(kind="scheduled.dbstats").count() == 1


def test_a_bad_now_is_refused_with_a_message(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("schedule", "run-due", "--now", "yesterday")


def test_every_entry_names_a_function_that_exists_and_each_name_once():
    from django.utils.module_loading import import_string

    names = [entry.name for entry in schedule.ENTRIES]
    assert len(names) == len(set(names))
    assert {
        "dbstats",
        "task-deadlines",
        "demand-deadlines",
        "demand-indicators",
        "alerts",
        "progress-reports",
    } <= set(names)
    for entry in schedule.ENTRIES:
        assert callable(import_string(entry.function)), entry


@pytest.mark.django_db
def test_an_entry_turned_off_is_not_started(settings):
    settings.SCHEDULE_OFF = frozenset({"progress-reports", "alerts"})
    started = {job.kind for job in run_due(MIDNIGHT_PAST)}
    assert "scheduled.progress-reports" not in started and "scheduled.alerts" not in started
    assert {"scheduled.dbstats", "scheduled.task-deadlines"} <= started
