from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The signed-in home: each role's panels (see web/workbench.py)."""
    notifications = list(request.user.notifications.all()[:6])  # type: ignore[union-attr]
    context = {"bench": build_workbench(request.user), "notifications": notifications}
    return render(request, "web/workbench.html", context)
