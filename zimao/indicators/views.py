from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import NegativeList
from .selectors import indicator_list, observation_list


def indicator_index(request: HttpRequest) -> HttpResponse:
    context = {
        "indicators": indicator_list(),
        "observations": observation_list(),
        "negative_lists": NegativeList.objects.all(),
    }
    return render(request, "indicators/indicator_list.html", context)
