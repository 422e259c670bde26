"""Restrictiveness index, scoring rule version 1 (docs/opening-index.md).

In the spirit of the OECD FDI Regulatory Restrictiveness Index: each measure scores 0 (open) to
1 (closed); a 门类 (GB/T 4754 section) sums its measures' scores, capped at 1; an edition's
index is the mean over the 20 sections. Every score keeps the measures and reasons behind it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Edition, Measure, Sector

RULE_VERSION = "1"
PROHIBITED = Decimal("1")
NO_FOREIGN_EQUITY = Decimal("1")
MINORITY_ONLY = Decimal("0.5")  # foreign share must stay below 50 %
MAJORITY_CAPPED = Decimal("0.25")  # 50 % or more allowed, but not 100 %
NATIONALITY = Decimal("0.1")
APPROVAL = Decimal("0.1")
OTHER = Decimal("0.1")
ONE = Decimal("1")


def equity_score(cap: Decimal | None, chinese_control: bool) -> Decimal:
    """OECD thresholds: no foreign equity 1; below 50 % 0.5; 50 % up to below 100 % 0.25."""
    if chinese_control:
        return MINORITY_ONLY
    if cap is None or cap >= 100:
        return Decimal("0")
    if cap <= 0:
        return NO_FOREIGN_EQUITY
    return MINORITY_ONLY if cap < 50 else MAJORITY_CAPPED


def part_score(measure: Measure) -> tuple[Decimal, list[str]]:
    """One measure (part): its score and the reasons, in words."""
    if measure.kind == Measure.Kind.PROHIBITED:
        return PROHIBITED, [_("禁止投资 1.0")]
    restrictions = set(measure.restriction_list)
    score, reasons = Decimal("0"), []
    if restrictions & {"equity_cap", "chinese_control"}:
        equity = equity_score(measure.foreign_cap, "chinese_control" in restrictions)
        score += equity
        if "chinese_control" in restrictions:
            reasons.append(_("须由中方控股 %(s)s") % {"s": equity})
        else:
            cap = format(measure.foreign_cap, "f") if measure.foreign_cap is not None else "?"
            cap = cap.rstrip("0").rstrip(".") if "." in cap else cap
            reasons.append(_("外资股比上限 %(c)s%% → %(s)s") % {"c": cap, "s": equity})
    for name, weight, label in (
        ("nationality", NATIONALITY, _("高管国籍要求")),
        ("approval", APPROVAL, _("审批")),
        ("other", OTHER, _("其他限制")),
    ):
        if name in restrictions:
            score += weight
            reasons.append(f"{label} {weight}")
    return min(score, ONE), reasons


def measure_scores(parts: list[Measure]) -> tuple[Decimal, list[str]]:
    """A measure with several parts scores as its most restrictive part."""
    scored = [part_score(p) for p in parts]
    return max(scored, key=lambda s: s[0]) if scored else (Decimal("0"), [])


@dataclass
class SectorScore:
    sector: Sector
    score: Decimal
    measures: list[tuple[Measure, Decimal, list[str]]] = field(default_factory=list)


@dataclass
class EditionIndex:
    edition: Edition
    value: Decimal
    sectors: list[SectorScore]
    lower_bound: bool  # the edition's measures are not all loaded


def edition_index(edition: Edition, sectors: list[Sector] | None = None) -> EditionIndex:
    """The edition's index and each section's score, with the measures behind each."""
    sectors = sectors if sectors is not None else list(Sector.objects.all())
    by_topic: dict[str, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.filter(edition=edition).select_related("sector"):
        by_topic[measure.topic].append(measure)
    rows = {s.code: SectorScore(s, Decimal("0")) for s in sectors}
    for parts in by_topic.values():
        score, reasons = measure_scores(parts)
        row = rows[parts[0].sector.code]
        row.measures.append((parts[0], score, reasons))
    for row in rows.values():
        row.score = min(ONE, sum((m[1] for m in row.measures), Decimal("0")))
    total = sum((r.score for r in rows.values()), Decimal("0"))
    value = (total / len(rows)).quantize(Decimal("0.001")) if rows else Decimal("0")
    lower = edition.status != Edition.Status.COMPLETE
    return EditionIndex(edition, value, list(rows.values()), lower)


def openness_series(family: str = Edition.Family.FOREIGN_INVESTMENT) -> dict[str, object]:
    """Index by year for each scope, for the chart (FTZ against national); editions whose
    measures are not loaded have no value, partial ones are marked as lower bounds."""
    found = [e for e in Edition.objects.filter(family=family) if e.status != "not_loaded"]
    sectors = list(Sector.objects.all())
    years = sorted({e.year for e in found})
    series = []
    for scope, label in Edition.Scope.choices:
        values = {e.year: edition_index(e, sectors) for e in found if e.scope == scope}
        if values:
            partial = any(v.lower_bound for v in values.values())
            name = f"{label}（{_('下限')}）" if partial else str(label)
            series.append(
                {"name": name, "data": [float(values[y].value) if y in values else None
                                        for y in years],
                 "codes": [values[y].edition.code if y in values else None for y in years]}
            )  # fmt: skip
    return {"years": years, "series": series, "unit": _("限制指数")}


def openness_rows(chart: dict[str, object]) -> list[tuple[object, list[tuple[object, object]]]]:
    """The chart as a table (year, then each series' value and edition code), so every point
    can be read without the script and followed to the measures behind it."""
    series: list[dict[str, list[object]]] = chart["series"]  # type: ignore[assignment]
    years: list[object] = chart["years"]  # type: ignore[assignment]
    return [(year, [(s["data"][n], s["codes"][n]) for s in series]) for n, year in enumerate(years)]
