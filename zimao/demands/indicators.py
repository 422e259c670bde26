"""The demand measures as indicators, so benchmarking and the composite index can use them.

Per zone and year, from the platform's own demand records: the demands submitted in that
(local) year, their assignments, and the authority requests raised in it, measured as the
measures page measures them (`selectors.measures_by_zone`). Each value is stored as an
observation of provenance `computed` under one source, `SOURCE`, which says the figure is
computed from the demand records and is no official statistic; pages mark it where they show it.

A value exists only where its base does: a zone without demands in the year has none (never
0), a rate needs a denominator, satisfaction a rating, the powers granted an authority request.
Recomputing a year writes only what changed and removes what no longer has a base, through the
write path, so running it again adds nothing.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zimao.accounts.access import SystemActor
from zimao.audit import writes
from zimao.indicators.models import Indicator, Observation, Provenance
from zimao.zones.models import Zone

from .selectors import Measure, measures_by_zone

COMPUTER = SystemActor("demand-indicators")
SOURCE = "本平台企业诉求记录（按诉求提交年度计算，非官方统计）"
INDICATOR_FIELDS = ("name_zh", "name_en", "unit", "definition", "source", "direction")
FIELDS = ("value", "unit", "preferred", "note", "provenance")
Direction = Indicator.Direction


@dataclass(frozen=True)
class Spec:
    code: str
    name_zh: str
    name_en: str
    unit: str
    definition: str
    direction: str

    def value_of(self, m: Measure) -> Decimal | None:
        number: float | int | None = {
            "demand_count": m.demands,
            "demand_response_days": m.mean_days,
            "demand_on_time_rate": m.on_time_share,
            "demand_resolution_rate": m.resolved_share,
            "demand_satisfaction": m.satisfaction,
            "demand_promoted_share": m.promoted_share,
            "authority_requests_granted": m.granted if m.requests else None,
        }[self.code]
        return None if number is None else Decimal(str(number))


INDICATORS = (
    Spec(
        "demand_count", "企业诉求数", "Enterprise demands submitted", "件",
        "本平台登记的该年提交的企业诉求件数（已合并的除外）。", Direction.NEUTRAL,
    ),
    Spec(
        "demand_response_days", "企业诉求平均办理天数", "Mean days to answer a demand", "天",
        "该年提交并已答复的诉求，从提交到答复的平均天数。", Direction.LOWER,
    ),
    Spec(
        "demand_on_time_rate", "企业诉求按时办结率", "Demand assignments answered on time", "%",
        "该年诉求的交办中，在办理时限内答复的比例（已答复的交办为分母）。", Direction.HIGHER,
    ),
    Spec(
        "demand_resolution_rate", "企业诉求解决率", "Demands answered", "%",
        "该年提交并已受理的诉求中已答复的比例。", Direction.HIGHER,
    ),
    Spec(
        "demand_satisfaction", "企业诉求满意度", "Enterprises' rating of answers", "分",
        "该年诉求答复的企业评分（1—5 分）平均值。", Direction.HIGHER,
    ),
    Spec(
        "demand_promoted_share", "诉求转化为制度创新的比例",
        "Share of demands promoted to innovations", "%",
        "该年提交并已受理的诉求中转化为制度创新成果的比例。", Direction.HIGHER,
    ),
    Spec(
        "authority_requests_granted", "事权申请获批数", "Authority requests granted", "件",
        "该年报请省级或国家事权的请求中获同意的件数（无请求的不计值）。", Direction.HIGHER,
    ),
)  # fmt: skip
CODES = [spec.code for spec in INDICATORS]


@dataclass(frozen=True)
class Outcome:
    year: int
    created: int
    updated: int
    removed: int
    unchanged: int


def ensure_indicators() -> dict[str, Indicator]:
    """The demand indicators, created or brought in line with their definitions here."""
    found = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    for spec in INDICATORS:
        wanted = {name: getattr(spec, name) for name in INDICATOR_FIELDS if name != "source"}
        wanted["source"] = SOURCE
        current = found.get(spec.code)
        if current is None:
            record = Indicator(code=spec.code, **wanted)
            found[spec.code] = writes.create(user=COMPUTER, record=record, fields=INDICATOR_FIELDS)
            continue
        changes = {k: v for k, v in wanted.items() if getattr(current, k) != v}
        if changes:
            writes.update(user=COMPUTER, record=current, changes=changes, fields=INDICATOR_FIELDS)
    return found


def _note(year: int, m: Measure) -> str:
    return (
        f"由本平台 {year} 年提交的企业诉求 {m.demands} 件计算（已答复 {m.answered} 件；"
        f"交办已答复 {m.assignments} 件，按时 {m.on_time} 件；事权请求 {m.requests} 件，"
        f"获同意 {m.granted} 件）。非官方统计。"
    )


def compute_year(year: int) -> Outcome:
    """Recompute one year's demand indicators for every zone; only changes are written."""
    counts = {"created": 0, "updated": 0, "removed": 0, "unchanged": 0}
    with transaction.atomic():
        indicators = ensure_indicators()
        zones = {z.code: z for z in Zone.objects.all()}
        wanted: dict[tuple[str, str], tuple[Decimal, str]] = {}
        for m in measures_by_zone(COMPUTER, year=year):
            for spec in INDICATORS:
                value = spec.value_of(m)
                if value is not None and m.key in zones:
                    wanted[(spec.code, m.key)] = (value, _note(year, m))
        stored = Observation.objects.select_for_update().filter(
            indicator__code__in=CODES, subject_kind=Observation.SubjectKind.ZONE,
            period=str(year), source=SOURCE,
        ).select_related("indicator")  # fmt: skip
        for o in stored:
            key = (o.indicator.code, o.subject)
            if key not in wanted:
                writes.delete(user=COMPUTER, record=o, fields=FIELDS, note="诉求记录已无计算基础")
                counts["removed"] += 1
                continue
            value, note = wanted.pop(key)
            target = {"value": value, "note": note, "unit": o.indicator.unit}
            target["provenance"] = Provenance.COMPUTED
            changes = {k: v for k, v in target.items() if getattr(o, k) != v}
            if changes:
                writes.update(
                    user=COMPUTER, record=o, changes=changes, fields=FIELDS, version=o.version
                )
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        for (code, zone_code), (value, note) in sorted(wanted.items()):
            zone = zones[zone_code]
            indicator = indicators[code]
            record = Observation(
                indicator=indicator, subject_kind=Observation.SubjectKind.ZONE,
                subject=zone.code, zone=zone, province=zone.province, period=str(year),
                value=value, unit=indicator.unit, source=SOURCE, note=note,
                provenance=Provenance.COMPUTED,
                preferred=not _preferred_elsewhere(indicator, zone.code, year),
            )  # fmt: skip
            writes.create(user=COMPUTER, record=record, fields=FIELDS, audit_action="compute")
            counts["created"] += 1
    return Outcome(year, **counts)


def _preferred_elsewhere(indicator: Indicator, zone: str, year: int) -> bool:
    """Another source's value already preferred for the same zone and year stays preferred."""
    return Observation.objects.filter(
        indicator=indicator, subject_kind=Observation.SubjectKind.ZONE, subject=zone,
        period=str(year), preferred=True,
    ).exclude(source=SOURCE).exists()  # fmt: skip


def years_due(now: datetime) -> list[int]:
    """The years a daily run recomputes: this one and the last (answers and ratings to last
    year's demands still arrive); earlier years are done unless recomputed by hand."""
    year = (timezone.localtime(now) if timezone.is_aware(now) else now).year
    return [year - 1, year]


def scheduled(now: datetime) -> list[Outcome]:
    return [compute_year(year) for year in years_due(now)]
