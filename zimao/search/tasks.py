"""The similar-record refresh as a queued task: the worker scores every pending entry."""

from django_tasks import task

from .neighbours import refresh_pending


@task()
def refresh_similar() -> int:
    return refresh_pending()
