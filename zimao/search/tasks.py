"""The similar-record refresh as a queued task: the worker scores every pending entry."""

from django_tasks import task

from .neighbours import refresh_pending

# Ahead of long jobs (reports, imports): it follows edits and takes a moment.
PRIORITY = 50


@task(priority=PRIORITY)
def refresh_similar() -> int:
    return refresh_pending()
