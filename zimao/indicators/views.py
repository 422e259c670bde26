from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.lib.exports import export_format, table_response
from zimao.zones.models import Zone

from .models import NegativeList, Observation
from .selectors import indicator_list, observation_list

FLAGS = {"estimated": gettext_lazy("估算"), "cumulative": gettext_lazy("累计")}
HEADERS = [
    gettext_lazy("指标"),
    gettext_lazy("对象"),
    gettext_lazy("时期"),
    gettext_lazy("数值"),
    gettext_lazy("单位"),
    gettext_lazy("标记"),
    gettext_lazy("采用值"),
    gettext_lazy("来源"),
]


def subject_label(observation: Observation, zones: dict[str, Zone]) -> str:
    """Who an observation is about, in words (四川省, 湖北自贸试验区), never a code."""
    kind = observation.get_subject_kind_display()
    subject = observation.subject
    if observation.subject_kind == Observation.SubjectKind.ZONE:
        zone = observation.zone or zones.get(subject)
        return zone.name if zone else str(kind)
    if observation.subject_kind == Observation.SubjectKind.PROVINCE and subject in zones:
        return zones[subject].province
    if subject:
        return subject
    if observation.zones_count:
        return f"{kind}（{observation.zones_count}）"
    return str(kind)


def flag_labels(observation: Observation) -> list[str]:
    return [str(FLAGS[f]) for f in observation.flags.split(";") if f in FLAGS]


def indicator_index(request: HttpRequest) -> HttpResponse:
    zones = {z.code: z for z in Zone.objects.all()}
    observations = list(observation_list().select_related("zone")[:5000])
    for o in observations:
        o.subject_label = subject_label(o, zones)  # type: ignore[attr-defined]
        o.flag_labels = flag_labels(o)  # type: ignore[attr-defined]
    fmt = export_format(request)
    if fmt:
        rows = (
            [
                o.indicator.name,
                o.subject_label,  # type: ignore[attr-defined]
                o.period,
                float(o.value),
                o.unit,
                "、".join(o.flag_labels),  # type: ignore[attr-defined]
                _("是") if o.preferred else _("否（备选值）"),
                o.source,
            ]
            for o in observations
        )
        return table_response(_("指标观测值"), HEADERS, rows, fmt)
    context = {
        "indicators": indicator_list(),
        "observations": observations,
        "negative_lists": NegativeList.objects.all(),
    }
    return render(request, "indicators/indicator_list.html", context)
