from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Zone
from .selectors import zone_list


def zone_index(request: HttpRequest) -> HttpResponse:
    return render(request, "zones/zone_list.html", {"zones": zone_list()})


def zone_detail(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    context = {
        "zone": zone,
        "areas": zone.areas.all(),
        "pilot_areas": zone.pilot_areas.all(),
        "plans": zone.plans.all(),
        "observations": zone.observations.select_related("indicator").order_by("period"),
    }
    return render(request, "zones/zone_detail.html", context)
