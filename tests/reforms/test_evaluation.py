"""Several reviewers score a submitted innovation; totals use the rubric's weights and the
spread between reviewers is shown; the shortlist ranks and exports."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import person
from zimao.accounts.models import Role
from zimao.audit.models import AuditEvent
from zimao.audit.writes import EditConflict
from zimao.reforms.evaluation import EvaluationError, assess, score_sheet_save, shortlist
from zimao.reforms.lifecycle import innovation_transition
from zimao.reforms.models import Criterion, Innovation
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewers():
    return person("nina", Role.NATIONAL), person("nora", Role.NATIONAL)


def submitted(title, zone="fujian"):
    innovation = Innovation.objects.create(
        title=title, zone=Zone.objects.get(code=zone), state="submitted"
    )
    return innovation


def score_all(user, innovation, values, version=None):
    criteria = Criterion.objects.filter(active=True)
    sheet = {c.code: v for c, v in zip(criteria, values, strict=True)}
    return score_sheet_save(user=user, innovation=innovation, values=sheet, version=version)


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
    with pytest.raises(PermissionDenied):
        score_all(office, innovation, [90] * 5)
    with pytest.raises(EvaluationError, match="0 到 100"):  # one bad value: nothing is saved
        score_all(nina, innovation, [90, 90, 90, 90, 101])
    assert not innovation.scores.exists() and not AuditEvent.objects.exists()
    draft = Innovation.objects.create(title="草案", zone=innovation.zone)
    with pytest.raises(EvaluationError, match="已报送"):
        score_all(nina, draft, [50] * 5)


def test_a_stale_score_sheet_is_refused_whole(reviewers):
    nina, _ = reviewers
    innovation = submitted("跨境电商退货中心仓")
    sheet = score_all(nina, innovation, [60] * 5)
    score_all(nina, innovation, [70] * 5, version=sheet.version)  # the first tab saves
    with pytest.raises(EditConflict):  # the second tab, opened at the same version, loses
        score_all(nina, innovation, [90] * 5, version=sheet.version)
    assert assess(innovation).total == 70.0


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
    lines = export.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("排名,制度创新成果,自贸试验区")
    assert lines[1].startswith("1,乙,福建自贸试验区,1,90.0")


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
    innovation.refresh_from_db()
    innovation_transition(
        user=nina,
        innovation=innovation,
        to_state="selected",
        reason="总分第一",
        selection="top_ten",
        version=innovation.version,
    )
    assert Innovation.objects.get(pk=innovation.pk).state == "selected"


def test_the_shortlist_head_reads_the_same_queries_for_few_or_many_unscored(client, reviewers):
    """Scored innovations first by total, then the unscored by title; the page's queries do
    not grow with the number of unscored submissions, and the download lists the same order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zimao.reforms.evaluation import shortlist_head

    nina, _ = reviewers
    low, high = submitted("乙低分"), submitted("甲高分")
    score_all(nina, low, [50] * 5)
    score_all(nina, high, [90] * 5)
    for title in ("丁未评", "丙未评"):
        submitted(title)
    mine = Innovation.objects.filter(state="submitted")
    head, count = shortlist_head(mine, 3)
    first_unscored = mine.filter(title__endswith="未评").order_by("title").first()
    assert [a.innovation for a in head] == [high, low, first_unscored]
    assert count == 4 and head[0].total == 90.0 and head[2].total is None
    everyone, _ = shortlist_head(mine, None)
    assert [a.innovation.pk for a in everyone][:3] == [a.innovation.pk for a in head]

    client.force_login(nina)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reforms/shortlist/").status_code == 200
        return len(queries)

    few = page_queries()
    for n in range(30):
        submitted(f"未评改革{n:02d}")
    assert page_queries() == few
    export = client.get("/reforms/shortlist/", {"format": "csv"})
    rows = export.getvalue().decode("utf-8-sig").splitlines()[1:]
    page = client.get("/reforms/shortlist/")
    assert [r.split(",")[1] for r in rows] == [a.innovation.title for a in page.context["ranked"]]
