from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import Action, allowed
from zimao.lib.downloads import attachment

from .models import Job
from .registry import KINDS, kind_of, label_of
from .selectors import job_list
from .services import (
    JobStartFailed,
    RetryRefused,
    job_retry,
    job_start,
    queue_lost,
    result_path,
)

REFRESH_SECONDS = 3  # pages of unfinished jobs reload themselves (no script: CSP)


def _decorate(job: Job, request: HttpRequest) -> Job:
    job.kind_label = label_of(job.kind)  # type: ignore[attr-defined]
    job.can_retry = job.retryable and allowed(request.user, Action.EDIT, job)  # type: ignore[attr-defined]
    job.has_file = result_path(job) is not None  # type: ignore[attr-defined]
    job.state_label = (  # type: ignore[attr-defined]
        _("已中断（后台进程已停止）") if job.stale else job.get_state_display()
    )
    return job


def _moving(job: Job) -> bool:
    """Queued or running with a live worker: worth reloading the page for."""
    return not job.finished and not job.stale


@login_required
def job_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(job_list(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    jobs = [_decorate(job, request) for job in page.object_list]
    buttons = [
        (kind.code, kind.button)
        for kind in KINDS.values()
        if kind.button and kind.may_start(request.user)
    ]
    context = {
        "page": page,
        "jobs": jobs,
        "buttons": buttons,
        "refresh": REFRESH_SECONDS if any(_moving(j) for j in jobs) else 0,
    }
    return render(request, "jobs/list.html", context)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _decorate(get_object_or_404(job_list(user=request.user), pk=pk), request)
    lost = queue_lost(job)  # a query, so on this page only, not for every row of the list
    if lost:
        job.state_label = _("已中断（后台进程已停止）")  # type: ignore[attr-defined]
        job.can_retry = allowed(request.user, Action.EDIT, job)  # type: ignore[attr-defined]
    context = {"job": job, "refresh": REFRESH_SECONDS if _moving(job) and not lost else 0}
    return render(request, "jobs/detail.html", context)


@require_POST
@login_required
def job_start_view(request: HttpRequest, kind: str) -> HttpResponse:
    """Start a job that needs no parameters (rebuild the index, export the open data)."""
    found = kind_of(kind[:40])
    if found is None or not found.button:
        raise Http404
    if not found.may_start(request.user):
        raise PermissionDenied(_("您没有权限发起此类后台任务。"))
    try:
        job = job_start(user=request.user, kind=found.code)
    except JobStartFailed as exc:
        return start_failed(request, exc)
    messages.success(request, _("已加入后台队列：%(k)s") % {"k": found.label})
    return redirect(job)


@require_POST
@login_required
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(job_list(user=request.user), pk=pk)
    if not allowed(request.user, Action.EDIT, job):
        raise PermissionDenied(_("只有发起人或国家自贸办可以重试该任务。"))
    try:
        job_retry(user=request.user, job=job)
    except RetryRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已重新加入后台队列，已完成的部分不会重复处理。"))
    return redirect(job)


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The generated file, only for those who may see the job."""
    job = get_object_or_404(job_list(user=request.user), pk=pk)
    path = result_path(job)
    if path is None:
        raise Http404(_("该任务没有可下载的文件。"))
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    response["Content-Disposition"] = attachment(path.name, f"zimao-job-{job.pk}{path.suffix}")
    return response


def start_failed(request: HttpRequest, exc: JobStartFailed) -> HttpResponse:
    """The answer to a job start that kept nothing: 503 with the reason (no session write,
    which may be what failed)."""
    return render(request, "jobs/start_failed.html", {"reason": str(exc)}, status=503)
