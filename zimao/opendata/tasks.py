"""The public open-data zip, rebuilt by a worker (see published.py)."""

from django_tasks import task

from .published import build


@task()
def build_open_data() -> bool:
    return build()
