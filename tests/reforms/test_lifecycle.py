"""An innovation goes from proposal to selection: only allowed steps, by the right people,
each with a reason, an audit event and a notification for whoever acts next."""

import pytest
from django.core.exceptions import PermissionDenied

from zimao.accounts.models import Notification
from zimao.audit.models import AuditEvent
from zimao.audit.writes import EditConflict
from zimao.reforms.lifecycle import TransitionError, innovation_transition, next_states
from zimao.reforms.models import Criterion, Innovation
from zimao.reforms.services import effect_add, innovation_create
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast):
    """Zoe runs the Guangdong zone office; Paul is Guangdong's provincial office; Nina is
    national."""
    return cast.zoe, cast.paul, cast.nina


@pytest.fixture
def innovation(people):
    zoe, _, _ = people
    return innovation_create(
        user=zoe,
        title="南沙科创企业跨境研发用品通关便利化",
        zone=Zone.objects.get(code="guangdong"),
    )


def step(user, innovation, to_state, reason="理由", **extra):
    """One transition with the version the caller loaded (as a page or API call sends it)."""
    return innovation_transition(
        user=user,
        innovation=innovation,
        to_state=to_state,
        reason=reason,
        version=innovation.version,
        **extra,
    )


def walk(user, innovation, *states):
    for state in states:
        innovation = step(user, innovation, state, reason=f"进入{state}")
    return innovation


def scored(reviewer, innovation):
    from zimao.reforms.evaluation import score_sheet_save
    from zimao.reforms.models import Criterion

    values = {c.code: 80 for c in Criterion.objects.filter(active=True)}
    score_sheet_save(user=reviewer, innovation=innovation, values=values)
    innovation.refresh_from_db()
    return innovation


def test_the_path_from_proposal_to_selection(people, innovation):
    zoe, paul, nina = people
    assert next_states(innovation) == ["piloting", "withdrawn"]
    walk(zoe, innovation, "piloting", "achieved", "submitted")
    assert {n.user for n in Notification.objects.all()} == {paul, nina}
    with pytest.raises(TransitionError, match="尚无评分"):  # no selection without scores
        step(nina, innovation, "selected", "经评审入选", selection="best_practice")
    selected = step(
        nina, scored(nina, innovation), "selected", "经评审入选", selection="best_practice"
    )
    assert (selected.state, selected.selection, selected.published) == (
        "selected",
        "best_practice",
        True,
    )
    assert Notification.objects.filter(user=zoe, text__startswith="已入选").exists()
    assert not Notification.objects.filter(kind="review", read_at=None).exists()  # answered
    steps = [(t.from_state, t.to_state, t.by.username) for t in selected.transitions.all()]
    assert steps == [
        ("proposed", "piloting", "zoe"),
        ("piloting", "achieved", "zoe"),
        ("achieved", "submitted", "zoe"),
        ("submitted", "selected", "nina"),
    ]
    assert AuditEvent.objects.filter(action__startswith="transition:").count() == 4


def test_steps_that_skip_or_go_back_are_refused(people, innovation):
    zoe, _, _ = people
    with pytest.raises(TransitionError, match="不能从"):
        step(zoe, innovation, "selected", "x")
    with pytest.raises(TransitionError, match="理由"):
        step(zoe, innovation, "piloting", " ")
    withdrawn = step(zoe, innovation, "withdrawn", "合并到其他事项")
    assert next_states(withdrawn) == []


def test_a_stale_step_is_refused(people, innovation):
    """Two tabs open on the same innovation: a "withdraw" wins, a later stale "pilot" loses."""
    zoe, _, _ = people
    stale = Innovation.objects.get(pk=innovation.pk)
    step(zoe, innovation, "withdrawn", "并入其他事项")
    with pytest.raises(EditConflict):
        step(zoe, stale, "piloting", "开始试点")
    assert Innovation.objects.get(pk=innovation.pk).state == "withdrawn"


def test_only_deciding_offices_select_or_return(people, innovation):
    zoe, paul, _ = people
    walk(zoe, innovation, "piloting", "achieved", "submitted")
    with pytest.raises(PermissionDenied):
        step(zoe, innovation, "selected", "自评入选", selection="top_ten")
    with pytest.raises(TransitionError, match="入选类型"):
        step(paul, innovation, "selected", "入选")
    returned = step(paul, innovation, "achieved", "请补充成效数据")
    assert returned.state == "achieved"
    assert Notification.objects.filter(user=zoe, text__startswith="已退回").exists()


def test_effects_are_recorded_with_their_change(people, innovation):
    zoe, _, _ = people
    effect = effect_add(
        user=zoe,
        innovation=innovation,
        measure="通关时间",
        before=72,
        after=37,
        unit="小时",
        period="2021",
    )
    assert (effect.change_pct, effect.direction) == (-48.61, "decrease")


def test_the_pages_walk_the_same_path(client, people):
    zoe, _, nina = people
    client.force_login(zoe)
    response = client.post(
        "/reforms/innovations/new/",
        {
            "title": "汉口北市场采购贸易组货人备案",
            "zone": Zone.objects.get(code="guangdong").pk,
            "mechanism": "组货人线上备案",
        },
    )
    innovation = Innovation.objects.get(title="汉口北市场采购贸易组货人备案")
    assert response.url == f"/reforms/innovations/{innovation.pk}/"
    client.post(
        f"/reforms/innovations/{innovation.pk}/effects/",
        {"measure": "备案时间", "before": 5, "after": 1, "unit": "个工作日"},
    )
    for number, state in enumerate(["piloting", "achieved", "submitted"], start=1):
        client.post(
            f"/reforms/innovations/{innovation.pk}/step/",
            {"to_state": state, "reason": "推进", "version": number},
        )
    client.force_login(nina)
    assert "待评审" in client.get("/accounts/notifications/").content.decode()
    page = client.get(f"/reforms/innovations/{innovation.pk}/").content.decode()
    assert 'value="selected"' in page
    scores = {f"score-{c.code}": 80 for c in Criterion.objects.filter(active=True)}
    client.post(f"/reforms/innovations/{innovation.pk}/scores/", scores)
    client.post(
        f"/reforms/innovations/{innovation.pk}/step/",
        {
            "to_state": "selected",
            "reason": "入选",
            "selection": "replicated_national",
            "version": 4,
        },
    )
    innovation.refresh_from_db()
    assert innovation.state == "selected" and innovation.effects.get().change_pct == -80


def test_an_office_cannot_create_in_another_zone(client, people):
    zoe, _, _ = people
    client.force_login(zoe)
    response = client.post(
        "/reforms/innovations/new/",
        {
            "title": "越权",
            "zone": Zone.objects.get(code="sichuan").pk,
        },
    )
    assert response.status_code == 400
    assert not Innovation.objects.filter(title="越权").exists()


def test_evidence_documents_attach_to_an_innovation(client, people, innovation, media):
    from zimao.documents.analysis import analyse_bytes
    from zimao.documents.services import document_store

    zoe, _, _ = people
    data = "广东自贸试验区南沙片区通关时间从72小时压缩到37小时。".encode()
    document = document_store(
        analysis=analyse_bytes("evidence.txt", data), data=data, user=zoe
    ).document
    client.force_login(zoe)
    client.post(f"/documents/evidence/innovations/{innovation.pk}/", {"document": document.pk})
    assert list(innovation.documents.all()) == [document]
    page = client.get(f"/reforms/innovations/{innovation.pk}/").content.decode()
    assert 'id="evidence"' in page and document.get_absolute_url() in page
    assert AuditEvent.objects.filter(action="attach_evidence").count() == 1
