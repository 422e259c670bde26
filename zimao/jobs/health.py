"""Is a job worker alive? Each worker touches one file under var/ every JOB_HEARTBEAT_SECONDS
(a file, not a row: its time still changes on a disk too full for a database write), and
/healthz compares the newest touch with JOB_STALE_SECONDS."""

import contextlib
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from .models import Job


def heartbeat_file() -> Path:
    return Path(settings.VAR_DIR) / "worker-heartbeat"


def beat() -> None:
    """Say this worker is alive now (touch the file; on a full disk, still its time)."""
    path = heartbeat_file()
    with contextlib.suppress(OSError):
        path.touch()
        os.utime(path)


def beat_forever(stop: threading.Event) -> threading.Thread:
    """Beat now and then every JOB_HEARTBEAT_SECONDS, from a daemon thread, until `stop`."""

    def run() -> None:
        beat()
        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            beat()

    thread = threading.Thread(target=run, name="job-worker-heartbeat", daemon=True)
    thread.start()
    return thread


def last_beat() -> datetime | None:
    try:
        return datetime.fromtimestamp(heartbeat_file().stat().st_mtime, tz=UTC)
    except OSError:
        return None


def worker_health(now: datetime | None = None) -> str:
    """'ok' when a worker beat within JOB_STALE_SECONDS; otherwise 'stale' if a job has been
    waiting longer than that (nobody runs it: an operator must act), else 'none' (no worker
    and nothing waiting is a normal state, e.g. a web-only host or a worker between starts)."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.JOB_STALE_SECONDS)
    last = last_beat()
    if last is not None and now - last <= window:
        return "ok"
    waiting = Job.objects.filter(state=Job.State.QUEUED, created_at__lt=now - window)
    try:
        return "stale" if waiting.exists() else "none"
    except DatabaseError:  # no job table yet (a database before `zimao migrate`)
        return "unknown"
