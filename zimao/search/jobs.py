"""`zimao reindex` as a background job: the national office's button, or --background."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Actor, is_all_powerful, memberships_of
from zimao.accounts.models import Role
from zimao.jobs.models import Job
from zimao.jobs.progress import Progress
from zimao.jobs.registry import Kind, Outcome, register

from .services import reindex

REINDEX = "reindex"


def may_reindex(user: Actor) -> bool:
    """The index serves everyone: only the national office (and scripts) rebuild it."""
    return is_all_powerful(user) or any(m.role == Role.NATIONAL for m in memberships_of(user))


def reindex_run(job: Job, progress: Progress) -> Outcome:
    progress.start(0, _("正在统计记录"))

    def batch_done(done: int, total: int) -> None:
        if progress.job.total != total:
            progress.start(total)
        progress.step(done, _("已索引 %(d)s / %(t)s 条记录") % {"d": done, "t": total})
        progress.pause()

    counts = reindex(progress=batch_done)
    return Outcome(message=_("检索索引已重建，共 %(n)s 个条目。") % {"n": sum(counts.values())})


register(
    Kind(
        code=REINDEX,
        label=gettext_lazy("重建检索索引"),
        run=reindex_run,
        may_start=may_reindex,
        button=gettext_lazy("重建检索索引"),
    )
)
