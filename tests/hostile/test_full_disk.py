"""A var folder that takes no write (full or read-only) is a normal condition: anonymous
pages still answer 200 without being cached, a write still commits, /healthz says why."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from zimao.jobs.health import worker_health
from zimao.jobs.models import Job
from zimao.lib import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def unwritable(settings, tmp_path):
    """A var folder and page cache below a plain file: every write there fails (OSError)."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    settings.PAGE_CACHE = True
    settings.VAR_DIR = blocker / "sub"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "cache" / "pages"),
        },
    }
    return blocker


def test_anonymous_pages_answer_200_when_the_cache_cannot_be_written(client, unwritable):
    for path in ("/", "/zones/", "/reforms/innovations/"):
        first = client.get(path)
        assert first.status_code == 200, path
        assert client.get(path).status_code == 200, path


def test_renewing_the_cache_generation_on_a_full_disk_does_not_fail_the_write(unwritable):
    """bump() runs after every commit that changes shown data: it must not raise there."""
    pagecache.bump()
    assert pagecache.generation() != pagecache.generation()  # no cache: never a stale page


def test_healthz_names_the_disk_when_the_var_folder_takes_no_write(client, unwritable):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "disk": "unwritable"}


def test_healthz_is_ok_on_a_writable_var_folder(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "worker": "none"}


def _beat(var, minutes_ago: float) -> None:
    """A worker's heartbeat `minutes_ago` (the file's time, as a worker leaves it)."""
    path = var / "worker-heartbeat"
    path.touch()
    stamp = (timezone.now() - timedelta(minutes=minutes_ago)).timestamp()
    os.utime(path, (stamp, stamp))


def _waiting_job(minutes_ago: float) -> None:
    Job.objects.create(kind="reindex", created_at=timezone.now() - timedelta(minutes=minutes_ago))


@pytest.fixture
def var(settings, var_dir):
    settings.JOB_STALE_SECONDS = 120
    return var_dir


def test_healthz_reports_a_live_worker(client, var):
    _beat(var, minutes_ago=0)
    _waiting_job(minutes_ago=30)  # a long job ahead of it: the worker is busy, not dead
    assert client.get("/healthz").json() == {"status": "ok", "worker": "ok"}


def test_healthz_is_503_naming_the_worker_when_jobs_wait_and_no_worker_beats(client, var):
    _beat(var, minutes_ago=30)
    _waiting_job(minutes_ago=10)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "worker": "stale"}


def test_no_worker_and_nothing_waiting_is_healthy(client, var):
    _beat(var, minutes_ago=30)
    Job.objects.create(kind="reindex", state=Job.State.DONE)
    assert client.get("/healthz").json() == {"status": "ok", "worker": "none"}


def test_a_job_queued_just_now_does_not_make_a_missing_worker_stale(var):
    """A worker that is starting has the stale window to beat before /healthz complains."""
    _waiting_job(minutes_ago=0)
    assert worker_health(now=timezone.now()) == "none"
    assert worker_health(now=timezone.now() + timedelta(minutes=10)) == "stale"
