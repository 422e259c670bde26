"""Several reviewers score a submitted innovation; totals use the rubric's weights and the
spread between reviewers is shown; the shortlist ranks and exports."""

import pytest
from django.core.exceptions import PermissionDenied

from zimao.accounts.models import Membership, Role, User
from zimao.reforms.evaluation import EvaluationError, assess, score_set, shortlist
from zimao.reforms.lifecycle import innovation_transition
from zimao.reforms.models import Criterion, Innovation
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


def person(name, role, **scope):
    user = User.objects.create_user(name, password=f"pw-{name}-123")
    Membership.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def reviewers():
    return person("nina", Role.NATIONAL), person("nora", Role.NATIONAL)


def submitted(title, zone="fujian"):
    innovation = Innovation.objects.create(
        title=title, zone=Zone.objects.get(code=zone), state="submitted"
    )
    return innovation


def score_all(user, innovation, values):
    for criterion, value in zip(Criterion.objects.filter(active=True), values, strict=True):
        score_set(user=user, innovation=innovation, criterion=criterion, value=value)


def test_the_default_rubric_has_the_five_criteria():
    assert list(Criterion.objects.values_list("code", flat=True)) == [
        "originality",
        "replicability",
        "strategic_fit",
        "distinctiveness",
        "effect",
    ]


def test_totals_are_weighted_and_the_spread_is_shown(reviewers):
    nina, nora = reviewers
    innovation = submitted("海铁联运一单制")
    score_all(nina, innovation, [90, 80, 70, 60, 100])  # mean 80
    score_all(nora, innovation, [70, 60, 50, 40, 80])  # mean 60
    result = assess(innovation)
    assert (result.reviewers, result.total, result.spread) == (2, 70.0, 10.0)
    assert result.per_criterion["originality"] == 80.0
    Criterion.objects.filter(code="effect").update(weight=3)
    assert assess(innovation).total == pytest.approx((80 + 70 + 60 + 50 + 90 * 3) / 7, abs=0.05)


def test_only_deciding_offices_score_submitted_innovations(reviewers):
    nina, _ = reviewers
    office = person("zoe", Role.ZONE, zone=Zone.objects.get(code="fujian"))
    innovation = submitted("台胞职业资格采认")
    criterion = Criterion.objects.first()
    with pytest.raises(PermissionDenied):
        score_set(user=office, innovation=innovation, criterion=criterion, value=90)
    with pytest.raises(EvaluationError, match="0 to 100"):
        score_set(user=nina, innovation=innovation, criterion=criterion, value=101)
    draft = Innovation.objects.create(title="草案", zone=innovation.zone)
    with pytest.raises(EvaluationError, match="only submitted"):
        score_set(user=nina, innovation=draft, criterion=criterion, value=50)


def test_the_shortlist_ranks_and_exports(client, reviewers):
    nina, _ = reviewers
    low, high, unscored = submitted("甲"), submitted("乙"), submitted("丙")
    score_all(nina, low, [50] * 5)
    score_all(nina, high, [90] * 5)
    assert [a.innovation for a in shortlist([low, high, unscored])] == [high, low, unscored]
    client.force_login(nina)
    page = client.get("/reforms/shortlist/")
    assert [a.innovation.title for a in page.context["ranked"]] == ["乙", "甲", "丙"]
    export = client.get("/reforms/shortlist/", {"format": "csv"})
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("rank,innovation,zone") and lines[1].startswith("1,乙,fujian,1,90.0")


def test_scoring_on_the_page_then_selection(client, reviewers):
    nina, _ = reviewers
    innovation = submitted("两岸跨境电商保税备货")
    client.force_login(nina)
    form = {f"score-{c.code}": "85" for c in Criterion.objects.all()} | {"comment": "可复制性强"}
    client.post(f"/reforms/innovations/{innovation.pk}/scores/", form)
    assert assess(innovation).total == 85.0
    bad = dict(form, **{"score-effect": "high"})
    client.post(f"/reforms/innovations/{innovation.pk}/scores/", bad)
    assert assess(innovation).total == 85.0
    innovation_transition(
        user=nina,
        innovation=innovation,
        to_state="selected",
        reason="总分第一",
        selection="top_ten",
    )
    assert Innovation.objects.get(pk=innovation.pk).state == "selected"
