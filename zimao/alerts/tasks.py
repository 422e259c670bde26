"""The queued task that sends one delivery (the worker of the job queue runs it)."""

from django_tasks import task

from .delivery import deliver


@task()
def deliver_task(delivery_id: int) -> str:
    return deliver(delivery_id)
