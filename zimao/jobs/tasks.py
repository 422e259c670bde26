"""The one queued task: run an attempt of a job. Every kind goes through it, so the queue
holds only (job id, attempt) and everything a page shows stays on the Job row."""

from django_tasks import task

from .services import job_run


@task()
def run_job(job_id: int, attempt: int) -> str:
    return job_run(job_id, attempt)
