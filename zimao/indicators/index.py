"""A transparent composite index: dimensions, indicators, normalisation and weights as data.

Every score explains itself: for each indicator the observation (value, unit, source) it used,
the normalised value, the effective weight and the contribution. The contributions add up to
the score.

Rules, as stated on the index page:
- Normalisation over the subjects compared in the same year: min-max to 0–100 (the best
  value 100, the worst 0; all equal: all 100) or z-score (mean 0, standard deviation 1; all
  equal: all 0). Indicators where less is better (days to start a business) are reversed.
- Missing data is never zero. A subject's missing indicator is left out and the weights of
  its dimension are re-scaled over the indicators it has; a dimension with none is left out
  and the dimension weights re-scaled. When the weight covered by available data falls below
  `min_coverage`, the subject gets no score ("数据不足"). The count of missing indicators is
  shown with every score.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from .models import Indicator, Observation
from .subjects import Subject
from .units import UnitError, convert

NORMALISATIONS = {
    "minmax": "最小—最大值标准化（0—100）",
    "zscore": "Z 分数标准化（均值 0、标准差 1）",
}
MISSING_RULES = {
    "reweight": "缺失指标不计零分：在已有指标间按权重重新分配；覆盖权重不足下限的对象不计分"
}


class IndexDefinitionError(ValueError):
    """The definition is not usable; the message is shown to users (Chinese)."""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    weight: float = 1.0
    direction: int = 1  # 1: more is better, -1: less is better


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    weight: float
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class IndexDefinition:
    dimensions: tuple[Dimension, ...]
    normalisation: str = "minmax"
    missing: str = "reweight"
    min_coverage: float = 0.5

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "IndexDefinition":
        try:
            dimensions = tuple(
                Dimension(
                    code=str(d["code"]),
                    name=str(d["name"]),
                    weight=float(d["weight"]),
                    indicators=tuple(
                        IndicatorSpec(
                            str(i["code"]), float(i.get("weight", 1)), int(i.get("direction", 1))
                        )
                        for i in d["indicators"]
                    ),
                )
                for d in data["dimensions"]
            )
            return cls(
                dimensions,
                str(data.get("normalisation", "minmax")),
                str(data.get("missing", "reweight")),
                float(data.get("min_coverage", 0.5)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexDefinitionError(f"指数定义格式有误：{exc}") from exc

    def as_data(self) -> dict[str, Any]:
        return {
            "normalisation": self.normalisation,
            "missing": self.missing,
            "min_coverage": self.min_coverage,
            "dimensions": [
                {
                    "code": d.code,
                    "name": d.name,
                    "weight": d.weight,
                    "indicators": [
                        {"code": i.code, "weight": i.weight, "direction": i.direction}
                        for i in d.indicators
                    ],
                }
                for d in self.dimensions
            ],
        }

    def validate(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            raise IndexDefinitionError(f"未知的标准化方法“{self.normalisation}”")
        if self.missing not in MISSING_RULES:
            raise IndexDefinitionError(f"未知的缺失值规则“{self.missing}”")
        if not 0 <= self.min_coverage <= 1:
            raise IndexDefinitionError("覆盖权重下限须在 0 与 1 之间")
        if not self.dimensions:
            raise IndexDefinitionError("至少需要一个维度")
        known = set(Indicator.objects.values_list("code", flat=True))
        for d in self.dimensions:
            if d.weight < 0 or not d.indicators:
                raise IndexDefinitionError(f"维度“{d.name}”须有非负权重和至少一个指标")
            for i in d.indicators:
                if i.code not in known:
                    raise IndexDefinitionError(f"维度“{d.name}”中的指标“{i.code}”不存在")
                if i.weight < 0 or i.direction not in (1, -1):
                    raise IndexDefinitionError(f"指标“{i.code}”的权重须非负，方向须为 1 或 -1")
        if sum(d.weight for d in self.dimensions) <= 0:
            raise IndexDefinitionError("维度权重之和须大于 0")

    def with_weight(self, target: str, weight: float) -> "IndexDefinition":
        """A copy with one weight changed: `target` is a dimension code or `dimension/indicator`."""
        dim_code, _, ind_code = target.partition("/")
        dims = []
        for d in self.dimensions:
            if d.code == dim_code and not ind_code:
                d = replace(d, weight=weight)
            elif d.code == dim_code:
                d = replace(
                    d,
                    indicators=tuple(
                        replace(i, weight=weight) if i.code == ind_code else i for i in d.indicators
                    ),
                )
            dims.append(d)
        return replace(self, dimensions=tuple(dims))


DEFAULT_DEFINITION = IndexDefinition(
    dimensions=(
        Dimension("investment", "投资自由化便利化", 1, (
            IndicatorSpec("fdi_actual"), IndicatorSpec("new_foreign_enterprises"),
            IndicatorSpec("fdi_share_city"),
        )),
        Dimension("trade", "贸易便利化", 1, (
            IndicatorSpec("trade_total"), IndicatorSpec("trade_share_city"),
        )),
        Dimension("finance", "金融开放创新", 1, (IndicatorSpec("cross_border_rmb"),)),
        Dimension("government", "政府职能转变", 1, (
            IndicatorSpec("business_startup_days", direction=-1),
        )),
        Dimension("rule_of_law", "法治化环境", 1, (IndicatorSpec("commercial_cases_resolved"),)),
        Dimension("innovation", "制度创新与复制推广", 1, (
            IndicatorSpec("institutional_innovations"), IndicatorSpec("replicated_total"),
        )),
    )
)  # fmt: skip


@dataclass(frozen=True)
class Input:
    """One indicator value a score used, or the fact that it was missing."""

    dimension: str
    indicator: str
    indicator_name: str
    value: Decimal | None
    unit: str
    observation_id: int | None
    source: str
    normalised: float | None = None
    weight: float = 0.0  # effective weight after re-weighting (0 when missing)
    contribution: float = 0.0
    is_sample: bool = False  # the observation is an invented sample value
    is_computed: bool = False  # computed from the platform's demand records, not a statistic


@dataclass
class Score:
    subject: Subject
    score: float | None
    dimensions: dict[str, float | None]
    coverage: float  # share of the nominal weight backed by data
    missing: int
    inputs: list[Input] = field(default_factory=list)
    rank: int | None = None

    @property
    def is_sample(self) -> bool:
        """The score rests on at least one sample value of its own."""
        return any(i.is_sample for i in self.inputs)


@dataclass
class IndexResult:
    definition: IndexDefinition
    year: int
    scores: list[Score]

    def score_of(self, ref: str) -> Score | None:
        return next((s for s in self.scores if s.subject.ref == ref), None)

    @property
    def uses_sample(self) -> bool:
        """Any sample value moves every score (values are normalised across subjects)."""
        return any(s.is_sample for s in self.scores)


def _observations(
    codes: Iterable[str], subjects: list[Subject], period: str
) -> dict[tuple[str, str], Observation]:
    """The preferred, known value per (indicator, subject ref) in the indicator's unit."""
    refs = {(s.kind, s.key) for s in subjects}
    found: dict[tuple[str, str], Observation] = {}
    rows = Observation.objects.select_related("indicator").filter(
        indicator__code__in=list(codes), period=period, preferred=True, value__isnull=False,
        subject_kind__in={k for k, _ in refs}, subject__in={s for _, s in refs},
    )  # fmt: skip
    for o in rows:
        if (o.subject_kind, o.subject) in refs:
            found[(o.indicator.code, f"{o.subject_kind}:{o.subject}")] = o
    return found


def _in_unit(observation: Observation) -> Decimal | None:
    if observation.value is None:
        return None
    try:
        return convert(observation.value, observation.unit, observation.indicator.unit).value
    except UnitError:
        return None  # e.g. 亿美元 with no rate: not comparable, treated as missing


def _normalise(values: dict[str, float], method: str, direction: int) -> dict[str, float]:
    if not values:
        return {}
    numbers = list(values.values())
    if method == "zscore":
        mean, sd = statistics.fmean(numbers), statistics.pstdev(numbers)
        return {k: (direction * (v - mean) / sd if sd else 0.0) for k, v in values.items()}
    low, high = min(numbers), max(numbers)
    if high == low:
        return dict.fromkeys(values, 100.0)
    if direction > 0:
        return {k: 100 * (v - low) / (high - low) for k, v in values.items()}
    return {k: 100 * (high - v) / (high - low) for k, v in values.items()}


def compute_index(definition: IndexDefinition, subjects: list[Subject], year: int) -> IndexResult:
    """Score every subject for `year` (annual observations) and rank them."""
    codes = [i.code for d in definition.dimensions for i in d.indicators]
    names = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name_zh"))
    observations = _observations(codes, subjects, str(year))
    normalised: dict[str, dict[str, float]] = {}
    for d in definition.dimensions:
        for spec in d.indicators:
            raw = {}
            for s in subjects:
                o = observations.get((spec.code, s.ref))
                value = _in_unit(o) if o is not None else None
                if value is not None:
                    raw[s.ref] = float(value)
            normalised[f"{d.code}/{spec.code}"] = _normalise(
                raw, definition.normalisation, spec.direction
            )
    total_dim = sum(d.weight for d in definition.dimensions)
    scores = []
    for s in subjects:
        scores.append(_score(definition, s, observations, normalised, names, total_dim))
    _rank(scores)
    return IndexResult(definition, year, scores)


def _score(
    definition: IndexDefinition,
    subject: Subject,
    observations: dict[tuple[str, str], Observation],
    normalised: dict[str, dict[str, float]],
    names: dict[str, str],
    total_dim: float,
) -> Score:
    inputs: list[Input] = []
    dim_scores: dict[str, float | None] = {}
    coverage = 0.0
    missing = 0
    available_dim_weight = 0.0
    for d in definition.dimensions:
        total_ind = sum(i.weight for i in d.indicators) or 1.0
        parts = []
        for spec in d.indicators:
            o = observations.get((spec.code, subject.ref))
            n = normalised[f"{d.code}/{spec.code}"].get(subject.ref)
            if n is None:
                missing += 1
            else:
                parts.append((spec, n))
                coverage += (d.weight / total_dim) * (spec.weight / total_ind) if total_dim else 0
            used = o if n is not None else None
            inputs.append(
                Input(
                    d.code,
                    spec.code,
                    names.get(spec.code, spec.code),
                    used.value if used else None,
                    used.unit if used else "",
                    used.pk if used else None,
                    used.source if used else "",
                    n,
                    is_sample=used.is_sample if used else False,
                    is_computed=used.is_computed if used else False,
                )
            )
        weight = sum(spec.weight for spec, _ in parts)
        dim_scores[d.code] = sum(spec.weight * n for spec, n in parts) / weight if weight else None
        if dim_scores[d.code] is not None:
            available_dim_weight += d.weight
    if coverage + 1e-9 < definition.min_coverage or not available_dim_weight:
        return Score(subject, None, dim_scores, coverage, missing, inputs)
    final_inputs = []
    for item in inputs:
        d = next(x for x in definition.dimensions if x.code == item.dimension)
        spec = next(i for i in d.indicators if i.code == item.indicator)
        weight = sum(
            i.weight
            for i in d.indicators
            if normalised[f"{d.code}/{i.code}"].get(subject.ref) is not None
        )
        if item.normalised is None or not weight:
            final_inputs.append(item)
            continue
        effective = (d.weight / available_dim_weight) * (spec.weight / weight)
        final_inputs.append(
            replace(item, weight=effective, contribution=effective * item.normalised)
        )
    score = sum(i.contribution for i in final_inputs)
    return Score(subject, score, dim_scores, coverage, missing, final_inputs)


def _rank(scores: list[Score]) -> None:
    """Competition ranking (1, 2, 2, 4) by score; unscored subjects stay unranked and last."""
    scored = sorted((s for s in scores if s.score is not None), key=lambda s: -(s.score or 0))
    for position, s in enumerate(scored, start=1):
        previous = scored[position - 2] if position > 1 else None
        same = previous is not None and abs((previous.score or 0) - (s.score or 0)) < 1e-9
        s.rank = previous.rank if same and previous else position
    scores.sort(key=lambda s: (s.rank is None, s.rank or 0, s.subject.label))


@dataclass(frozen=True)
class SensitivityRow:
    subject: Subject
    ranks: list[int | None]  # one per weight tried
    spread: int  # best minus worst rank over the weights tried


def sensitivity(
    definition: IndexDefinition,
    subjects: list[Subject],
    year: int,
    target: str,
    weights: list[float],
) -> list[SensitivityRow]:
    """How each subject's rank moves when the weight of `target` takes each value in turn."""
    runs = [compute_index(definition.with_weight(target, w), subjects, year) for w in weights]
    rows = []
    for subject in subjects:
        ranks = [run.score_of(subject.ref).rank for run in runs]  # type: ignore[union-attr]
        known = [r for r in ranks if r is not None]
        rows.append(SensitivityRow(subject, ranks, (max(known) - min(known)) if known else 0))
    rows.sort(key=lambda r: (r.ranks[len(r.ranks) // 2] is None, r.ranks[len(r.ranks) // 2] or 0))
    return rows


def result_as_data(result: IndexResult, version: int | None = None) -> dict[str, Any]:
    """Everything needed to recompute the scores by hand: definition, inputs, outputs."""
    return {
        "version": version,
        "year": result.year,
        "definition": result.definition.as_data(),
        "rules": {
            "normalisation": NORMALISATIONS[result.definition.normalisation],
            "missing": MISSING_RULES[result.definition.missing],
        },
        "uses_sample": result.uses_sample,
        "scores": [
            {
                "subject": s.subject.ref,
                "is_sample": s.is_sample,
                "label": s.subject.label,
                "score": s.score,
                "rank": s.rank,
                "coverage": s.coverage,
                "missing": s.missing,
                "dimensions": s.dimensions,
                "inputs": [
                    {
                        "dimension": i.dimension,
                        "indicator": i.indicator,
                        "value": format(i.value.normalize(), "f") if i.value is not None else None,
                        "unit": i.unit,
                        "observation": i.observation_id,
                        "source": i.source,
                        "normalised": i.normalised,
                        "weight": i.weight,
                        "contribution": i.contribution,
                        "is_sample": i.is_sample,
                        "is_computed": i.is_computed,
                    }
                    for i in s.inputs
                ],
            }
            for s in result.scores
        ],
    }


DEFAULT_NAME = "自贸试验区发展综合指数"


def ensure_default_index() -> bool:
    """Create version 1 from the default definition when no version exists yet."""
    from .models import IndexVersion

    if IndexVersion.objects.exists():
        return False
    IndexVersion.objects.create(
        number=1,
        name=DEFAULT_NAME,
        definition=DEFAULT_DEFINITION.as_data(),
        note="默认定义：六个维度等权，维度内指标等权，最小—最大值标准化",
    )
    return True


def current_version() -> Any:
    """The latest saved version (None before the first load)."""
    from .models import IndexVersion

    return IndexVersion.objects.order_by("-number").first()
