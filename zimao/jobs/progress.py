"""How a running job reports: each call is one short write of the job row, so the page sees
it at once, and a retried job's older run (if it still lives) cannot overwrite the new one."""

import time
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import Job


class Superseded(Exception):
    """The job was retried or removed while this run was still going: stop quietly."""


class JobFailed(Exception):
    """A failure the runner can explain; the message (Chinese) is shown on the job page."""


class Progress:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.items: list[dict[str, Any]] = list(job.items)

    def _write(self, **fields: Any) -> None:
        updated = Job.objects.filter(
            pk=self.job.pk, attempt=self.job.attempt, state=Job.State.RUNNING
        ).update(heartbeat_at=timezone.now(), **fields)
        if not updated:
            raise Superseded
        for name, value in fields.items():
            setattr(self.job, name, value)

    def start(self, total: int, message: str = "") -> None:
        self._write(total=total, done=0, message=message[:300])

    def step(self, done: int, message: str = "", item: dict[str, Any] | None = None) -> None:
        """`done` units of `total` are complete (and committed); `item` records one unit."""
        fields: dict[str, Any] = {"done": done, "message": message[:300]}
        if item is not None:
            self.items.append(item)
            fields["items"] = self.items
        self._write(**fields)

    def pause(self) -> None:
        if settings.JOB_PAUSE_MS > 0:
            time.sleep(settings.JOB_PAUSE_MS / 1000)
