"""A fresh open-data export as a background job: the zip is written under the job's folder
(temporary name, then renamed) and downloaded from the job page."""

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Actor, is_all_powerful, memberships_of
from zimao.jobs.models import Job
from zimao.jobs.progress import Progress
from zimao.jobs.registry import Kind, Outcome, register
from zimao.jobs.services import job_dir, write_result

from .datasets import DATASETS
from .export import export_open_data, zip_folder

OPEN_DATA = "open_data"
ZIP_NAME = "zimao-open-data.zip"


def open_data_run(job: Job, progress: Progress) -> Outcome:
    progress.start(2, _("正在导出 %(n)s 个数据集") % {"n": len(DATASETS)})
    folder = job_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as work:
        export = Path(work) / "export"
        export_open_data(export)
        progress.step(1, _("正在压缩"))
        name = write_result(job, ZIP_NAME, lambda target: zip_folder(export, target))
    progress.step(2, _("数据包已生成"))
    return Outcome(message=_("开放数据包已生成。"), file=name)


def may_export(user: Actor) -> bool:
    """The data is public; a job needs someone to own it, so members start it."""
    return is_all_powerful(user) or bool(memberships_of(user))


register(
    Kind(
        code=OPEN_DATA,
        label=gettext_lazy("导出开放数据"),
        run=open_data_run,
        may_start=may_export,
        button=gettext_lazy("导出最新开放数据"),
    )
)
