"""`zimao db_worker`: django-tasks-db's worker, kept alive when the database refuses a write,
and the scheduler of periodic entries (zimao.jobs.schedule), which it starts as jobs.

Every job records its own failure (services.job_run never raises), but the queue's own
bookkeeping is a database write too: on a full disk it fails, and upstream the exception ends
the process, leaving every queued job waiting for a restart. Here it is logged, the worker
pauses (doubling up to a minute) and carries on with the next task.
"""

import logging
import os
import threading
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from zimao.jobs.health import beat_forever
from zimao.jobs.schedule import schedule_forever

logger = logging.getLogger("zimao.jobs.worker")
MAX_PAUSE_SECONDS = 60.0


class SteadyWorker(upstream.Worker):
    pause = 1.0

    def _rest(self, what: str) -> None:
        logger.exception("job worker: %s failed; going on in %.0f s", what, self.pause)
        connections.close_all()  # a connection left in a failed state is opened afresh
        time.sleep(self.pause)
        self.pause = min(self.pause * 2, MAX_PAUSE_SECONDS)

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        try:
            super().run_task(db_task_result)
        except Exception:  # the queue's record of the task could not be written
            self._rest(f"recording task {db_task_result.id}")
        else:
            self.pause = 1.0

    def run(self) -> None:
        stop = threading.Event()
        beating = beat_forever(stop)  # /healthz: a worker is alive
        # Periodic entries, unless this is a one-off `--batch` run (tests, scripts).
        scheduling = None if self.batch else schedule_forever(stop)
        try:
            while True:
                try:
                    super().run()
                    return
                except DatabaseError:
                    if self.batch:
                        raise
                    self._rest("taking the next task")
        finally:
            stop.set()
            beating.join(timeout=5)
            if scheduling is not None:
                scheduling.join(timeout=5)


class Command(upstream.Command):
    def handle(self, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        exclude = options["exclude_queues"]
        excluded = exclude.split(",") if exclude else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SteadyWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
