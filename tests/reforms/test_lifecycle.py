"""An innovation goes from proposal to selection: only allowed steps, by the right people,
each with a reason, an audit event and a notification for whoever acts next."""

import pytest
from django.core.exceptions import PermissionDenied

from zimao.accounts.models import Membership, Notification, Role, User
from zimao.audit.models import AuditEvent
from zimao.reforms.lifecycle import TransitionError, innovation_transition, next_states
from zimao.reforms.models import Innovation
from zimao.reforms.services import effect_add, innovation_create
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    """Zoe runs the Hubei zone office; Paul is Hubei's provincial office; Nina is national."""
    hubei = Zone.objects.get(code="hubei")
    zoe = User.objects.create_user("zoe", password="pw-zoe-123")
    Membership.objects.create(user=zoe, role=Role.ZONE, zone=hubei)
    paul = User.objects.create_user("paul", password="pw-paul-123")
    Membership.objects.create(user=paul, role=Role.PROVINCIAL, province=hubei.province)
    nina = User.objects.create_user("nina", password="pw-nina-123")
    Membership.objects.create(user=nina, role=Role.NATIONAL)
    return zoe, paul, nina


@pytest.fixture
def innovation(cast):
    zoe, _, _ = cast
    return innovation_create(
        user=zoe, title="光谷科创企业跨境研发用品通关便利化", zone=Zone.objects.get(code="hubei")
    )


def walk(user, innovation, *states):
    for state in states:
        innovation = innovation_transition(
            user=user, innovation=innovation, to_state=state, reason=f"进入{state}"
        )
    return innovation


def test_the_path_from_proposal_to_selection(cast, innovation):
    zoe, paul, nina = cast
    assert next_states(innovation) == ["piloting", "withdrawn"]
    walk(zoe, innovation, "piloting", "achieved", "submitted")
    assert {n.user for n in Notification.objects.all()} == {paul, nina}
    selected = innovation_transition(
        user=nina,
        innovation=innovation,
        to_state="selected",
        reason="经评审入选",
        selection="best_practice",
    )
    assert (selected.state, selected.selection, selected.published) == (
        "selected",
        "best_practice",
        True,
    )
    assert Notification.objects.filter(user=zoe, text__startswith="已入选").exists()
    steps = [(t.from_state, t.to_state, t.by.username) for t in selected.transitions.all()]
    assert steps == [
        ("proposed", "piloting", "zoe"),
        ("piloting", "achieved", "zoe"),
        ("achieved", "submitted", "zoe"),
        ("submitted", "selected", "nina"),
    ]
    assert AuditEvent.objects.filter(action__startswith="transition:").count() == 4


def test_steps_that_skip_or_go_back_are_refused(cast, innovation):
    zoe, _, _ = cast
    with pytest.raises(TransitionError, match="cannot go from proposed to selected"):
        innovation_transition(user=zoe, innovation=innovation, to_state="selected", reason="x")
    with pytest.raises(TransitionError, match="reason"):
        innovation_transition(user=zoe, innovation=innovation, to_state="piloting", reason=" ")
    withdrawn = innovation_transition(
        user=zoe, innovation=innovation, to_state="withdrawn", reason="合并到其他事项"
    )
    assert next_states(withdrawn) == []


def test_only_deciding_offices_select_or_return(cast, innovation):
    zoe, paul, _ = cast
    walk(zoe, innovation, "piloting", "achieved", "submitted")
    with pytest.raises(PermissionDenied):
        innovation_transition(
            user=zoe,
            innovation=innovation,
            to_state="selected",
            reason="自评入选",
            selection="top_ten",
        )
    with pytest.raises(TransitionError, match="how it was selected"):
        innovation_transition(user=paul, innovation=innovation, to_state="selected", reason="入选")
    returned = innovation_transition(
        user=paul, innovation=innovation, to_state="achieved", reason="请补充成效数据"
    )
    assert returned.state == "achieved"
    assert Notification.objects.filter(user=zoe, text__startswith="已退回").exists()


def test_effects_are_recorded_with_their_change(cast, innovation):
    zoe, _, _ = cast
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


def test_the_pages_walk_the_same_path(client, cast):
    zoe, _, nina = cast
    client.force_login(zoe)
    response = client.post(
        "/reforms/innovations/new/",
        {
            "title": "汉口北市场采购贸易组货人备案",
            "zone": Zone.objects.get(code="hubei").pk,
            "mechanism": "组货人线上备案",
        },
    )
    innovation = Innovation.objects.get(title="汉口北市场采购贸易组货人备案")
    assert response.url == f"/reforms/innovations/{innovation.pk}/"
    client.post(
        f"/reforms/innovations/{innovation.pk}/effects/",
        {"measure": "备案时间", "before": 5, "after": 1, "unit": "个工作日"},
    )
    for state in ["piloting", "achieved", "submitted"]:
        client.post(
            f"/reforms/innovations/{innovation.pk}/step/", {"to_state": state, "reason": "推进"}
        )
    client.force_login(nina)
    assert "待评审" in client.get("/accounts/notifications/").content.decode()
    page = client.get(f"/reforms/innovations/{innovation.pk}/").content.decode()
    assert 'value="selected"' in page
    client.post(
        f"/reforms/innovations/{innovation.pk}/step/",
        {"to_state": "selected", "reason": "入选", "selection": "replicated_national"},
    )
    innovation.refresh_from_db()
    assert innovation.state == "selected" and innovation.effects.get().change_pct == -80


def test_an_office_cannot_create_in_another_zone(client, cast):
    zoe, _, _ = cast
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


def test_evidence_documents_attach_to_an_innovation(client, cast, innovation, media):
    from zimao.documents.analysis import analyse_bytes
    from zimao.documents.services import document_store

    zoe, _, _ = cast
    data = "湖北自贸试验区武汉片区通关时间从72小时压缩到37小时。".encode()
    document = document_store(analysis=analyse_bytes("evidence.txt", data), data=data).document
    client.force_login(zoe)
    client.post(f"/reforms/innovations/{innovation.pk}/evidence/", {"document": document.pk})
    assert list(innovation.documents.all()) == [document]
    page = client.get(f"/reforms/innovations/{innovation.pk}/").content.decode()
    assert 'id="evidence"' in page and document.get_absolute_url() in page
    assert AuditEvent.objects.filter(action="attach_evidence").count() == 1
