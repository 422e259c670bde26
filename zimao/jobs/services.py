"""Starting, retrying and running jobs. Starting and retrying are audited writes, and so is
every change of state the worker makes (queued → running → done or failed), in the transaction
of the change, by the system actor `system:job-worker`; the worker's progress reports are
bookkeeping on the job row itself (progress.py), like a log, not edits."""

import contextlib
import errno
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zimao.accounts.access import Action, Actor, SystemActor, memberships_of
from zimao.audit import writes
from zimao.audit.services import acting_user, audit_record

from .models import Job
from .progress import JobFailed, Progress, Superseded
from .registry import Outcome, kind_of

logger = logging.getLogger(__name__)
JOB_FIELDS = ("state", "attempt", "error")  # what the audit log shows, in words
WORKER = SystemActor("job-worker")


def _state_change(job_id: int, attempt: int, was: str, **fields: Any) -> bool:
    """Move an attempt of a job out of state `was` (unless it was retried or taken meanwhile),
    audited in the same transaction; return whether it moved."""
    with transaction.atomic():
        moved = Job.objects.filter(pk=job_id, attempt=attempt, state=was).update(**fields)
        if moved:
            job = Job.objects.get(pk=job_id)
            audit_record(
                actor=WORKER,
                action=f"job_{fields['state']}",
                record=job,
                before={"state": was, "attempt": attempt},
                after={"state": fields["state"], "attempt": attempt, "error": job.error},
            )
    return bool(moved)


class RetryRefused(ValueError):
    """A job that is queued, running or done is not retried; the message says why."""


def office_of(user: Actor) -> tuple[str, str, int | None]:
    """The zone code, province and area id a user's jobs belong to: their one office, or
    none (national) for national and research users and anyone with several scopes."""
    scopes: set[tuple[str, str, int | None]] = set()
    for m in memberships_of(user):
        if m.area is not None:
            scopes.add((m.area.zone.code, m.area.zone.province, m.area.pk))
        elif m.zone is not None:
            scopes.add((m.zone.code, m.zone.province, None))
        elif m.province:
            scopes.add(("", m.province, None))
    return scopes.pop() if len(scopes) == 1 else ("", "", None)


def job_dir(job: Job) -> Path:
    return Path(settings.JOBS_DIR) / str(job.pk)


def write_result(job: Job, name: str, write: Callable[[Path], object]) -> str:
    """Have `write` fill a temporary file next to the target, then rename it into place: a
    reader (or a worker killed half-way) never leaves or sees half a file. Returns the name
    relative to JOBS_DIR."""
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, folder / name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return f"{job.pk}/{name}"


def result_path(job: Job) -> Path | None:
    """The job's result file, if it has one and it lies inside JOBS_DIR."""
    if not job.result_file:
        return None
    root = Path(settings.JOBS_DIR).resolve()
    path = (root / job.result_file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _enqueue(job: Job) -> None:
    from .tasks import run_job  # tasks imports this module (job_run)

    result = run_job.enqueue(job.pk, job.attempt)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def job_start(
    *,
    user: Actor,
    kind: str,
    params: dict[str, Any] | None = None,
    prepare: Callable[[Job], dict[str, Any]] | None = None,
    office: tuple[str, str, int | None] | None = None,
) -> Job:
    """Record a job and put it on the queue, in one transaction (the worker cannot pick up
    a task whose job row it cannot see). `prepare` stores the inputs (uploaded files) once
    the job has its id and returns the parameters that point at them. `office` (zone code,
    province, area id) files the job under another scope than its starter's own: a scheduled
    job started by the system belongs to the office it was made for."""
    found = kind_of(kind)
    if found is None or not found.may_start(user):
        raise PermissionDenied(_("您没有权限发起此类后台任务。"))
    zone, province, area = office if office is not None else office_of(user)
    job = Job(
        kind=kind,
        created_by=acting_user(user),
        zone_code=zone,
        province=province,
        area_id=area,
        params=params or {},
        message=_("等待后台进程处理"),
    )
    try:
        with transaction.atomic():
            writes.create(user=user, record=job, fields=JOB_FIELDS, audit_action="job_start")
            if prepare is not None:
                job.params = {**job.params, **prepare(job)}
                Job.objects.filter(pk=job.pk).update(params=job.params)
            _enqueue(job)
    except (OSError, DatabaseError) as exc:
        # Nothing was committed: no job, no queue entry; the inputs stored so far go too.
        logger.exception("starting a %s job failed", kind)
        if job.pk is not None and not _exists(job.pk):  # its id not yet taken by another
            shutil.rmtree(job_dir(job), ignore_errors=True)
        raise JobStartFailed(start_failure_reason(exc)) from exc
    return job  # committed: from here on the start is a success


def _exists(pk: int) -> bool:
    try:
        return Job.objects.filter(pk=pk).exists()
    except DatabaseError:
        return True  # unknown: keep the files rather than risk another job's


class JobStartFailed(RuntimeError):
    """A job could not be recorded or queued (a full disk, a database that takes no write):
    nothing was kept. The message says why, in Chinese."""


def start_failure_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return _("磁盘空间已满，任务未能加入队列，未保存任何内容；请管理员释放空间后重试。")
    return _("任务未能加入队列，未保存任何内容；请稍后重试。")


def job_retry(*, user: Actor, job: Job) -> Job:
    """Queue a failed job (or one whose worker died) again. The new run skips the work the
    earlier one committed, so nothing is done twice."""
    writes.check(user, Action.EDIT, job)
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if not (current.retryable or queue_lost(current)):
            raise RetryRefused(_("只有失败或已中断的任务才能重试。"))
        _drop_queue_entry(current.task_id)
        writes.update(
            user=user,
            record=current,
            changes={
                "state": Job.State.QUEUED,
                "attempt": current.attempt + 1,
                "error": "",
            },
            fields=JOB_FIELDS,
            audit_action="job_retry",
        )
        Job.objects.filter(pk=current.pk).update(
            message=_("等待后台进程处理"), finished_at=None, heartbeat_at=None
        )
        current.refresh_from_db()
        _enqueue(current)
    return current


def queue_lost(job: Job) -> bool:
    """A queued job that no worker will run: its queue entry is gone (pruned, or not in a
    restored backup), failed, or was taken by a worker that died before starting the job."""
    if job.state != Job.State.QUEUED or not job.task_id:
        return False
    entry = DBTaskResult.objects.filter(id=job.task_id).values_list("status", "started_at").first()
    if entry is None:
        return True
    status, started = entry
    stale = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
    return status == TaskResultStatus.FAILED or (
        status == TaskResultStatus.RUNNING and started is not None and started < stale
    )


def _drop_queue_entry(task_id: str) -> None:
    """The queue's record of a run whose worker died stays 'running' forever: close it."""
    if task_id:
        DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now()
        )


@contextlib.contextmanager
def heartbeat(job: Job) -> Iterator[None]:
    """Touch the job row every JOB_HEARTBEAT_SECONDS while a long step runs, from a thread
    with its own connection: a job whose heartbeat stops belongs to a dead worker."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                Job.objects.filter(pk=job.pk, attempt=job.attempt, state=Job.State.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_run(job_id: int, attempt: int) -> str:
    """Run one attempt of a job in this (worker) process: claim it, run its kind's runner,
    and record the outcome. Returns the final state, for the queue's own record."""
    now = timezone.now()
    claimed = _state_change(
        job_id,
        attempt,
        Job.State.QUEUED,
        state=Job.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        error="",
        done=0,
        items=[],
    )
    if not claimed:
        return "skipped"  # retried meanwhile, or already taken
    job = Job.objects.get(pk=job_id)
    kind = kind_of(job.kind)
    progress = Progress(job)
    with translation.override("zh-hans"), heartbeat(job):
        try:
            if kind is None:
                raise JobFailed(_("未知的任务类型"))
            outcome = kind.run(job, progress)
        except Superseded:
            return "superseded"
        except JobFailed as exc:
            _finish(job, Job.State.FAILED, Outcome(), str(exc))
            return Job.State.FAILED
        except Exception as exc:  # recorded on the job, never kills the worker
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(job, Job.State.FAILED, Outcome(), failure_reason(exc))
            return Job.State.FAILED
    _finish(job, Job.State.DONE, outcome)
    return Job.State.DONE


def failure_reason(exc: BaseException) -> str:
    """What a failed job shows for an unexpected error: a full disk by name, else a pointer
    to the server log."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return _("磁盘空间已满，结果无法写入；请管理员释放空间后重试。")
    return _("处理时发生意外错误，已记入服务器日志；可以重试。")


def _finish(job: Job, state: str, outcome: Outcome, error: str = "") -> None:
    fields: dict[str, Any] = {"state": state, "finished_at": timezone.now(), "error": error}
    if outcome.message:
        fields["message"] = outcome.message[:300]
    elif state == Job.State.FAILED:
        fields["message"] = _("任务失败")
    fields["result_file"] = outcome.file
    fields["result_url"] = outcome.url
    try:
        _state_change(job.pk, job.attempt, Job.State.RUNNING, **fields)
    except DatabaseError:
        # The database takes no write (a full disk): the job stays running until its
        # heartbeat goes stale, then it may be retried. The worker carries on.
        logger.exception("job %s: its end (%s) could not be recorded", job.pk, state)
