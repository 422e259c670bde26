"""Evaluation of submitted innovations: reviewers score each criterion, scores are combined
with the rubric's weights, and the spread between reviewers is shown next to the total."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, check
from zimao.audit import writes
from zimao.audit.services import acting_user

from .models import Criterion, Innovation, Score, ScoreSheet


class EvaluationError(ValueError):
    """A score sheet that cannot be recorded; the message says why."""


def score_sheet_save(
    *,
    user: Actor,
    innovation: Innovation,
    values: dict[str, int],
    comment: str = "",
    version: int | None = None,
) -> ScoreSheet:
    """Record (or revise) the user's whole score sheet of a submitted innovation at once.

    `values` maps every active criterion's code to 0–100. `version` is the sheet's version the
    reviewer loaded (None for a first sheet); a stale sheet is refused with what changed.
    Nothing is written unless every value is valid.
    """
    check(user, Action.REVIEW, innovation)
    if innovation.state != Innovation.State.SUBMITTED:
        raise EvaluationError(_("只有已报送的成果才能评分"))
    reviewer = acting_user(user)
    if reviewer is None:
        raise EvaluationError(_("评分须由已登录的评审人提交"))
    criteria = list(Criterion.objects.filter(active=True))
    problems = [
        c.name
        for c in criteria
        if not isinstance(values.get(c.code), int) or not 0 <= values[c.code] <= 100
    ]
    if problems:
        raise EvaluationError(
            _("每项指标都需要 0 到 100 的整数分：%(names)s") % {"names": "、".join(problems)}
        )
    scores = {c.code: values[c.code] for c in criteria}

    def write_scores(sheet: ScoreSheet) -> None:
        for criterion in criteria:
            Score.objects.update_or_create(
                innovation=innovation,
                criterion=criterion,
                reviewer=reviewer,
                defaults={"value": scores[criterion.code], "comment": comment},
            )

    sheet = ScoreSheet.objects.filter(innovation=innovation, reviewer=reviewer).first()
    if sheet is None:
        if version:
            raise writes.EditConflict({"version": (version, None)})
        sheet = ScoreSheet(innovation=innovation, reviewer=reviewer, comment=comment)
        return writes.create(
            user=user,
            record=sheet,
            fields=("innovation", "reviewer", "comment"),
            action=Action.REVIEW,
            note=_scores_note(scores),
            then=write_scores,
        )
    return writes.update(
        user=user,
        record=sheet,
        changes={"comment": comment},
        fields=("comment",),
        version=version if version is not None else -1,
        action=Action.REVIEW,
        note=_scores_note(scores),
        then=write_scores,
    )


def _scores_note(scores: dict[str, int]) -> str:
    names = dict(Criterion.objects.filter(code__in=scores).values_list("code", "name_zh"))
    return "；".join(f"{names.get(code, code)} {value}" for code, value in scores.items())


@dataclass
class Assessment:
    innovation: Innovation
    per_criterion: dict[str, float] = field(default_factory=dict)  # mean per criterion
    reviewers: int = 0
    total: float | None = None  # weighted mean of the reviewers' totals
    spread: float | None = None  # standard deviation of the reviewers' totals


def assess(
    innovation: Innovation,
    criteria: list[Criterion] | None = None,
    scores: list[Score] | None = None,
) -> Assessment:
    criteria = criteria or list(Criterion.objects.filter(active=True))
    weights = {c.pk: Decimal(c.weight) for c in criteria}
    by_reviewer: dict[int, dict[int, int]] = {}
    if scores is None:
        scores = list(innovation.scores.filter(criterion__in=criteria))
    for score in scores:
        by_reviewer.setdefault(score.reviewer_id, {})[score.criterion_id] = score.value
    result = Assessment(innovation, reviewers=len(by_reviewer))
    for criterion in criteria:
        values = [s[criterion.pk] for s in by_reviewer.values() if criterion.pk in s]
        if values:
            result.per_criterion[criterion.code] = round(statistics.mean(values), 1)
    totals = []
    for sheet in by_reviewer.values():
        if set(sheet) >= set(weights):  # only complete score sheets count towards the total
            weighted = sum(weights[c] * sheet[c] for c in weights) / sum(weights.values())
            totals.append(float(weighted))
    if totals:
        result.total = round(statistics.mean(totals), 1)
        result.spread = round(statistics.pstdev(totals), 1)
    return result


def shortlist(innovations: QuerySet[Innovation] | list[Innovation]) -> list[Assessment]:
    """Assessments ranked by total (unscored last). Given a queryset, the scores are read in
    one query whatever the number of innovations (a subquery, not a list of ids)."""
    criteria = list(Criterion.objects.filter(active=True))
    by_innovation: dict[int, list[Score]] = {}
    if isinstance(innovations, QuerySet):
        scores = Score.objects.filter(innovation__in=innovations.values("pk"))
        innovations = list(innovations)
    else:
        scores = Score.objects.filter(innovation_id__in=[i.pk for i in innovations])
    for score in scores.filter(criterion__in=criteria):
        by_innovation.setdefault(score.innovation_id, []).append(score)
    ranked = [assess(i, criteria, by_innovation.get(i.pk, [])) for i in innovations]
    return sorted(ranked, key=lambda a: (a.total is None, -(a.total or 0), a.innovation.title))


def shortlist_head(
    innovations: QuerySet[Innovation], limit: int | None
) -> tuple[list[Assessment], int]:
    """The first `limit` places of the ranking (all of them for None) and the number of
    places. Innovations with a complete score sheet come first, by total; the rest follow by
    title in the database's order. Only the scored innovations are assessed in full and only
    the unscored ones shown are read, so the page costs the same with 300 or 30,000 submitted.
    """
    scored_ids = Score.objects.filter(innovation__in=innovations.values("pk")).values(
        "innovation_id"
    )
    assessed = shortlist(innovations.filter(pk__in=scored_ids))
    head = [a for a in assessed if a.total is not None]
    partly = {a.innovation.pk: a for a in assessed if a.total is None}
    count = innovations.count()
    wanted = count - len(head) if limit is None else limit - len(head)
    if wanted <= 0:
        return head[:limit], count
    criteria = list(Criterion.objects.filter(active=True))
    rest = innovations.exclude(pk__in=[a.innovation.pk for a in head]).order_by("title", "pk")
    tail = [partly.get(i.pk) or assess(i, criteria, []) for i in rest[:wanted]]
    return head + tail, count


def shortlist_table(assessments: list[Assessment]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the ranked shortlist, for CSV and XLSX downloads."""
    criteria = list(Criterion.objects.filter(active=True))
    headers = [
        _("排名"),
        _("制度创新成果"),
        _("自贸试验区"),
        _("评审人数"),
        _("总分"),
        _("离散度"),
        *[c.name for c in criteria],
    ]
    rows = [
        [
            rank,
            a.innovation.title,
            a.innovation.zone.name if a.innovation.zone else "",
            a.reviewers,
            a.total,
            a.spread,
            *[a.per_criterion.get(c.code, "") for c in criteria],
        ]
        for rank, a in enumerate(assessments, start=1)
    ]
    return headers, rows
