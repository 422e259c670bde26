from django.db.models import QuerySet

from zimao.accounts.access import Actor, visible

from .models import Job


def job_list(*, user: Actor) -> QuerySet[Job]:
    """The jobs the user may see: their own, and those of the offices they oversee."""
    return visible(user, Job.objects.select_related("created_by"))
