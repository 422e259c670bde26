from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zimao.reforms.services import visible_innovations
from zimao.replication.selectors import ItemFilters, item_list, zone_progress
from zimao.search.differentiation import zone_differentiation

from .models import Zone
from .selectors import zone_list


def zone_index(request: HttpRequest) -> HttpResponse:
    return render(request, "zones/zone_list.html", {"zones": zone_list()})


def zone_differentiation_page(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    positions = zone_differentiation(zone.code, visible_innovations(request.user))
    context = {
        "zone": zone,
        "positions": positions,
        "unique": sum(p.unique for p in positions),
        "zones": {z.code: z for z in Zone.objects.all()},
    }
    return render(request, "zones/differentiation.html", context)


def zone_detail(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    context = {
        "zone": zone,
        "areas": zone.areas.all(),
        "pilot_areas": zone.pilot_areas.all(),
        "plans": zone.plans.all(),
        "items": item_list(ItemFilters(zone=zone.code)),
        "observations": zone.observations.select_related("indicator").order_by("period"),
        "progress": zone_progress(zone.code, zone.province),
    }
    return render(request, "zones/zone_detail.html", context)
