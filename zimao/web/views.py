import errno
import logging
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zimao.demands import selectors as demand_selectors
from zimao.indicators.selectors import negative_list_series
from zimao.jobs.services import JobStartFailed
from zimao.jobs.views import start_failed
from zimao.reforms import deadlines
from zimao.replication.models import ReplicationBatch, ReplicationItem
from zimao.zones.models import PilotArea, Zone
from zimao.zones.selectors import area_tally, official_area_counts, zones_by_batch

from .jobs import NotExportable, table_export_start
from .workbench import workbench as build_workbench


def home(request: HttpRequest) -> HttpResponse:
    batches = zones_by_batch()
    timeline = [
        {"batch": b.batch, "year": b.year, "zones": [z.name for z in b.zones]} for b in batches
    ]
    tally = area_tally()
    official = official_area_counts()
    latest = Zone.objects.order_by("-batch").values_list("batch", flat=True).first() or 0
    earlier = Zone.objects.filter(batch__lt=latest)
    context = {
        "tally": tally,
        "earlier_zones": earlier.count(),
        "earlier_areas": area_tally(earlier).official,
        "latest_zones": [
            (z.short_name_zh, official.get(z.pk, 0)) for z in Zone.objects.filter(batch=latest)
        ],
        "counts": {
            "zones": Zone.objects.count(),
            "areas": tally.official,
            "pilot_areas": PilotArea.objects.count(),
            "batches": ReplicationBatch.objects.count(),
            "items": ReplicationItem.objects.count(),
        },
        "batches": batches,
        "timeline": timeline,
        "negative_lists": negative_list_series(),
    }
    return render(request, "web/home.html", context)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 {"status": "ok", "worker": "ok" | "none" | "unknown"} when the database answers a
    query, the var folder takes a write and no job waits without a live worker, else 503
    naming which (for monitoring; see docs/deploy.md)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logging.getLogger("zimao.health").error("database unavailable: %s", exc)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    from zimao.ops.backup import restore_running, restore_unfinished

    if restore_unfinished() is not None:
        if restore_running():
            logging.getLogger("zimao.health").error("a restore is running")
            return JsonResponse({"status": "error", "restore": "running"}, status=503)
        logging.getLogger("zimao.health").error("a restore was interrupted: run `zimao restore`")
        return JsonResponse({"status": "error", "restore": "unfinished"}, status=503)
    disk = _disk_problem()
    if disk:
        logging.getLogger("zimao.health").error("var folder %s: %s", settings.VAR_DIR, disk)
        return JsonResponse({"status": "error", "disk": disk}, status=503)
    from zimao.jobs.health import worker_health

    worker = worker_health()
    if worker == "stale":
        logging.getLogger("zimao.health").error("jobs are waiting and no job worker is alive")
        return JsonResponse({"status": "error", "worker": "stale"}, status=503)
    return JsonResponse({"status": "ok", "worker": worker})


HEALTH_MIN_FREE_BYTES = 64 * 1024 * 1024


def _disk_problem() -> str:
    """'full' or 'unwritable' when the var folder (uploads, jobs, cache) cannot take a write."""
    var = Path(settings.VAR_DIR)
    try:
        if shutil.disk_usage(var).free < HEALTH_MIN_FREE_BYTES:
            return "full"
        with tempfile.NamedTemporaryFile(dir=var, prefix=".healthz-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return "full" if exc.errno == errno.ENOSPC else "unwritable"
    return ""


def lockout(
    request: HttpRequest, original_response: object = None, credentials: object = None
) -> HttpResponse:
    """The page django-axes shows when a login is locked out (status 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    context = {"lockout_minutes": minutes, "lockout_until": f"{until:%H:%M}"}
    return render(request, "web/lockout.html", context, status=429)


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The signed-in home: each role's panels (see web/workbench.py)."""
    notifications = list(request.user.notifications.all()[:6])  # type: ignore[union-attr]
    bench = build_workbench(request.user, deadlines.today())
    context = {
        "bench": bench,
        "notifications": notifications,
        "demand_desk": demand_selectors.desk(request.user, deadlines.today()),
        "enterprise": demand_selectors.enterprise_of(request.user),
    }
    return render(request, "web/workbench.html", context)


@require_POST
@login_required
def table_export_background(request: HttpRequest) -> HttpResponse:
    """Queue a list page's CSV or XLSX download; the job page offers the file."""
    try:
        job = table_export_start(
            user=request.user,
            path=request.POST.get("path", ""),
            query=QueryDict(request.POST.get("query", "")[:2000]),
            fmt=request.POST.get("format", ""),
        )
    except NotExportable:
        raise Http404(_("该页面没有可导出的表格。")) from None
    except JobStartFailed as exc:
        return start_failed(request, exc)
    messages.success(request, _("已加入后台队列，导出后可在本页下载。"))
    return redirect(job)
