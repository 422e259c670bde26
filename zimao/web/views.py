import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from zimao.indicators.selectors import negative_list_series
from zimao.replication.models import ReplicationBatch, ReplicationItem
from zimao.zones.models import Area, PilotArea, Zone
from zimao.zones.selectors import zones_by_batch

from .workbench import workbench as build_workbench


def home(request: HttpRequest) -> HttpResponse:
    batches = zones_by_batch()
    timeline = [
        {"batch": b.batch, "year": b.year, "zones": [z.name for z in b.zones]} for b in batches
    ]
    context = {
        "counts": {
            "zones": Zone.objects.count(),
            "areas": Area.objects.count(),
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
    """200 {"status": "ok"} when the database answers a query, else 503 (for monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logging.getLogger("zimao.health").error("database unavailable: %s", exc)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def lockout(
    request: HttpRequest, original_response: object = None, credentials: object = None
) -> HttpResponse:
    """The page django-axes shows when a login is locked out (status 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "web/lockout.html", {"lockout_minutes": minutes}, status=429)


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The signed-in home: each role's panels (see web/workbench.py)."""
    notifications = list(request.user.notifications.all()[:6])  # type: ignore[union-attr]
    context = {"bench": build_workbench(request.user), "notifications": notifications}
    return render(request, "web/workbench.html", context)
