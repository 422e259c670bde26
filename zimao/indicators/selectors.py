"""Read-side queries for indicators, observations and negative lists."""

from django.db.models import QuerySet

from .models import Indicator, NegativeList, Observation


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.order_by("code")


def observation_list(
    *, indicator: str = "", subject_kind: str = "", subject: str = "", preferred_only: bool = False
) -> QuerySet[Observation]:
    observations = Observation.objects.select_related("indicator")
    if indicator:
        observations = observations.filter(indicator__code=indicator)
    if subject_kind:
        observations = observations.filter(subject_kind=subject_kind)
    if subject:
        observations = observations.filter(subject=subject)
    if preferred_only:
        observations = observations.filter(preferred=True)
    return observations.order_by("indicator__code", "period", "id")


def negative_list_series() -> dict[str, object]:
    """Return measures per year for each list scope, aligned on one year axis for a chart."""
    lists = list(NegativeList.objects.exclude(measures=None).order_by("year"))
    years = sorted({nl.year for nl in lists})
    series = []
    for scope, label in NegativeList.Scope.choices:
        by_year = {nl.year: nl.measures for nl in lists if nl.scope == scope}
        if by_year:
            series.append({"name": str(label), "data": [by_year.get(y) for y in years]})
    return {"years": years, "series": series}
