from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Zone
from .selectors import area_tally, official_area_counts, zone_figures, zone_list


def zone_index(request: HttpRequest) -> HttpResponse:
    official = official_area_counts()
    zones = list(zone_list())
    for zone in zones:
        zone.official_area_count = official.get(zone.pk, 0)  # type: ignore[attr-defined]
    context = {"zones": zones, "tally": area_tally()}
    return render(request, "zones/zone_list.html", context)


def zone_detail(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    figures = zone_figures(zone)
    context = {
        "zone": zone,
        "areas": zone.areas.all(),
        "tally": area_tally(Zone.objects.filter(pk=zone.pk)),
        "pilot_areas": zone.pilot_areas.all(),
        "plans": zone.plans.all(),
        "figures": figures,
        "observations": [o for g in figures for o in g.observations],
    }
    return render(request, "zones/zone_detail.html", context)
