"""Table downloads (CSV, XLSX) of the list pages as background jobs.

The worker asks the list page itself for the download, as the person who started the job:
the file is the same visible queryset, filters and columns as the synchronous link, with no
second copy of each page's export code.
"""

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Actor
from zimao.accounts.models import User
from zimao.jobs.models import Job
from zimao.jobs.progress import JobFailed, Progress
from zimao.jobs.registry import Kind, Outcome, register
from zimao.jobs.services import job_start, write_result
from zimao.lib.exports import FORMATS

TABLE_EXPORT = "table_export"
# The list pages whose ?format= download may run in the background.
EXPORTABLE = {
    "reforms:innovations",
    "reforms:shortlist",
    "reforms:plan",
    "replication:coverage",
    "replication:adoptions",
}


class NotExportable(ValueError):
    """The page has no table download."""


def _page(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        raise NotExportable(path) from None
    if match.view_name not in EXPORTABLE:
        raise NotExportable(path)
    return match.view_name


def table_export_start(*, user: Actor, path: str, query: QueryDict, fmt: str) -> Job:
    """Queue the download of a list page (with its filters) as CSV or XLSX."""
    if fmt not in FORMATS or len(path) > 200:
        raise NotExportable(fmt)
    _page(path)
    filters = query.copy()
    for name in ("format", "page", "csrfmiddlewaretoken", "path"):
        filters.pop(name, None)
    filters["format"] = fmt
    params = {"path": path, "query": filters.urlencode()[:2000]}
    return job_start(user=user, kind=TABLE_EXPORT, params=params)


def _filename(disposition: str, fmt: str) -> str:
    """The download's own (Chinese) file name from its Content-Disposition."""
    _, marker, encoded = disposition.partition("filename*=UTF-8''")
    name = Path(unquote(encoded)).name if marker else ""
    return name if name.endswith(f".{fmt}") else f"zimao.{fmt}"


def table_export_run(job: Job, progress: Progress) -> Outcome:
    user = job.created_by
    if user is None or not user.is_active:
        raise JobFailed(_("发起该任务的账户已不存在或已停用。"))
    path, query = str(job.params.get("path", "")), QueryDict(str(job.params.get("query", "")))
    fmt = query.get("format", "")
    try:
        _page(path)
    except NotExportable:
        raise JobFailed(_("该页面没有可导出的表格。")) from None
    progress.start(1, _("正在导出表格"))
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = query
    request.META = {"REQUEST_METHOD": "GET", "QUERY_STRING": query.urlencode()}
    request.user = user
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or "attachment" not in disposition:
        raise JobFailed(_("该列表无法导出，或发起人已无权查看。"))
    name = write_result(job, _filename(disposition, fmt), partial(_save, response))
    progress.step(1, _("表格已导出"))
    return Outcome(message=_("表格已导出。"), file=name)


def _save(response: HttpResponseBase, path: Path) -> None:
    """Copy the download to the job's file chunk by chunk (a large table stays on disk)."""
    chunks: Iterable[bytes] = (
        response.streaming_content  # type: ignore[assignment]
        if isinstance(response, StreamingHttpResponse)
        else [response.content]  # type: ignore[attr-defined]
    )
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)


def may_export_table(user: Actor) -> bool:
    return isinstance(user, User) and user.is_authenticated


register(
    Kind(
        code=TABLE_EXPORT,
        label=gettext_lazy("导出表格"),
        run=table_export_run,
        may_start=may_export_table,
    )
)
