"""The public open-data zip (the download on the open-data page): built by a background task
under a file lock, never inside a request. The page serves the last built file and, when it is
older than ZIMAO_OPEN_DATA_MAX_AGE seconds, queues one rebuild; concurrent requests and workers
never build it twice."""

import fcntl
import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings

from .export import export_open_data, zip_folder

ZIP_NAME = "zimao-open-data.zip"
logger = logging.getLogger(__name__)


def zip_path() -> Path:
    return Path(settings.VAR_DIR) / "open-data" / ZIP_NAME


def is_fresh(path: Path) -> bool:
    return path.exists() and time.time() - path.stat().st_mtime < settings.OPEN_DATA_MAX_AGE


def build(*, force: bool = False) -> bool:
    """Export and zip the public datasets unless the zip is fresh or another process is
    building it (it holds the lock); return whether this call built it."""
    target = zip_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # another build is running; it leaves a fresh zip
        if not force and is_fresh(target):
            return False  # built by whoever held the lock before
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".build-") as work:
            export_open_data(Path(work) / "export")
            partial = Path(work) / ZIP_NAME
            zip_folder(Path(work) / "export", partial)
            os.replace(partial, target)  # atomic: a reader never sees half a zip
    return True


def request_build() -> None:
    """Queue a rebuild for a worker, unless one is already waiting. A failure to queue is
    logged; the next request asks again."""
    try:
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from .tasks import build_open_data

        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=build_open_data.module_path
        )
        if not waiting.exists():
            build_open_data.enqueue()
    except Exception:
        logger.exception("could not queue the open-data rebuild")
