"""Evaluation of submitted innovations: reviewers score each criterion, scores are combined
with the rubric's weights, and the spread between reviewers is shown next to the total."""

import csv
import io
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from zimao.accounts.permissions import Action, check
from zimao.audit.services import Actor, acting_user, audit_record

from .models import Criterion, Innovation, Score
from .services import innovation_scope


class EvaluationError(ValueError):
    """A score that cannot be recorded; the message says why."""


def score_set(
    *, user: Actor, innovation: Innovation, criterion: Criterion, value: int, comment: str = ""
) -> Score:
    """Record (or revise) the user's score of a submitted innovation on one criterion."""
    check(user, Action.REVIEW, innovation_scope(innovation))
    if innovation.state != Innovation.State.SUBMITTED:
        raise EvaluationError("only submitted innovations are evaluated")
    if not 0 <= value <= 100:
        raise EvaluationError("scores run from 0 to 100")
    reviewer = acting_user(user)
    if reviewer is None:
        raise EvaluationError("scores need a signed-in reviewer")
    with transaction.atomic():
        score, created = Score.objects.update_or_create(
            innovation=innovation,
            criterion=criterion,
            reviewer=reviewer,
            defaults={"value": value, "comment": comment},
        )
        audit_record(
            actor=user,
            action="create" if created else "update",
            record=score,
            after={"criterion": criterion.code, "value": value},
        )
    return score


@dataclass
class Assessment:
    innovation: Innovation
    per_criterion: dict[str, float] = field(default_factory=dict)  # mean per criterion
    reviewers: int = 0
    total: float | None = None  # weighted mean of the reviewers' totals
    spread: float | None = None  # standard deviation of the reviewers' totals


def assess(innovation: Innovation, criteria: list[Criterion] | None = None) -> Assessment:
    criteria = criteria or list(Criterion.objects.filter(active=True))
    weights = {c.pk: Decimal(c.weight) for c in criteria}
    by_reviewer: dict[int, dict[int, int]] = {}
    for score in innovation.scores.filter(criterion__in=criteria):
        by_reviewer.setdefault(score.reviewer_id, {})[score.criterion_id] = score.value
    result = Assessment(innovation, reviewers=len(by_reviewer))
    for criterion in criteria:
        values = [s[criterion.pk] for s in by_reviewer.values() if criterion.pk in s]
        if values:
            result.per_criterion[criterion.code] = round(statistics.mean(values), 1)
    totals = []
    for scores in by_reviewer.values():
        if set(scores) >= set(weights):  # only complete score sheets count towards the total
            weighted = sum(weights[c] * scores[c] for c in weights) / sum(weights.values())
            totals.append(float(weighted))
    if totals:
        result.total = round(statistics.mean(totals), 1)
        result.spread = round(statistics.pstdev(totals), 1)
    return result


def shortlist(innovations: list[Innovation]) -> list[Assessment]:
    """Assessments ranked by total (unscored last)."""
    criteria = list(Criterion.objects.filter(active=True))
    ranked = [assess(i, criteria) for i in innovations]
    return sorted(ranked, key=lambda a: (a.total is None, -(a.total or 0), a.innovation.title))


def shortlist_csv(assessments: list[Assessment]) -> str:
    criteria = list(Criterion.objects.filter(active=True))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["rank", "innovation", "zone", "reviewers", "total", "spread", *[c.code for c in criteria]]
    )
    for rank, a in enumerate(assessments, start=1):
        zone = a.innovation.zone.code if a.innovation.zone else ""
        writer.writerow(
            [
                rank,
                a.innovation.title,
                zone,
                a.reviewers,
                a.total,
                a.spread,
                *[a.per_criterion.get(c.code, "") for c in criteria],
            ]
        )
    return out.getvalue()
