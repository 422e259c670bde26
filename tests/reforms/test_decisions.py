"""Decisions by the right office: national designations only by the national office (the
provincial office recommends), a selected innovation frozen until the office that selected it
reopens it, and review buttons named for what they do — in the service, the pages and the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zimao.accounts.models import Notification
from zimao.audit.models import AuditEvent
from zimao.reforms.evaluation import score_sheet_save
from zimao.reforms.lifecycle import innovation_recommend, innovation_transition
from zimao.reforms.models import Criterion
from zimao.reforms.services import effect_add, innovation_create, innovation_update
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


def step(user, innovation, to_state, reason="理由", **extra):
    return innovation_transition(
        user=user,
        innovation=innovation,
        to_state=to_state,
        reason=reason,
        version=innovation.version,
        **extra,
    )


@pytest.fixture
def submitted(cast):
    """A Guangdong innovation handed in for review and scored by the provincial office."""
    innovation = innovation_create(
        user=cast.zoe, title="前海跨境数据流动试点", zone=Zone.objects.get(code="guangdong")
    )
    for state in ("piloting", "achieved", "submitted"):
        innovation = step(cast.zoe, innovation, state)
    values = {c.code: 85 for c in Criterion.objects.filter(active=True)}
    score_sheet_save(user=cast.paul, innovation=innovation, values=values)
    innovation.refresh_from_db()
    return innovation


@pytest.mark.parametrize("kind", ["replicated_national", "best_practice", "top_ten"])
def test_a_provincial_office_cannot_confer_a_national_designation(cast, submitted, kind):
    with pytest.raises(PermissionDenied):
        step(cast.paul, submitted, "selected", "省级评审通过", selection=kind)
    submitted.refresh_from_db()
    assert (submitted.state, submitted.selection) == ("submitted", "")


def test_a_provincial_office_selects_for_its_province(cast, submitted):
    selected = step(cast.paul, submitted, "selected", "全省推广", selection="replicated_provincial")
    assert (selected.state, selected.selection) == ("selected", "replicated_provincial")


def test_the_national_office_confers_a_national_designation(cast, submitted):
    selected = step(cast.nina, submitted, "selected", "全国推广", selection="replicated_national")
    assert (selected.state, selected.selection) == ("selected", "replicated_national")


def test_page_post_is_refused_for_the_provincial_office_and_allowed_nationally(
    client, cast, submitted
):
    url = f"/reforms/innovations/{submitted.pk}/step/"
    body = {"to_state": "selected", "reason": "入选", "selection": "replicated_national"}
    client.force_login(cast.paul)
    page = client.get(f"/reforms/innovations/{submitted.pk}/").content.decode()
    assert 'value="replicated_national"' not in page.split('id="recommend"')[0]
    assert client.post(url, body | {"version": submitted.version}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    client.force_login(cast.nina)
    assert (
        'value="replicated_national"'
        in client.get(f"/reforms/innovations/{submitted.pk}/").content.decode()
    )
    assert client.post(url, body | {"version": submitted.version}).status_code == 302
    submitted.refresh_from_db()
    assert (submitted.state, submitted.selection) == ("selected", "replicated_national")


def test_api_is_refused_for_the_provincial_office_and_allowed_nationally(client, cast, submitted):
    url = f"/api/innovations/{submitted.pk}/transitions"
    body = {"to_state": "selected", "reason": "入选", "selection": "best_practice"}
    client.force_login(cast.paul)
    refused = client.post(
        url, body | {"version": submitted.version}, content_type="application/json"
    )
    assert refused.status_code == 403
    client.force_login(cast.nina)
    done = client.post(url, body | {"version": submitted.version}, content_type="application/json")
    assert done.status_code == 200 and done.json()["selection"] == "best_practice"


def test_a_provincial_office_recommends_and_the_national_office_is_told(cast, submitted):
    recommended = innovation_recommend(
        user=cast.paul,
        innovation=submitted,
        selection="replicated_national",
        reason="两年运行稳定",
        version=submitted.version,
    )
    assert recommended.state == "submitted" and recommended.selection == ""
    record = recommended.transitions.get(reason__startswith="推荐为")
    assert (record.by, record.from_state, record.to_state) == (cast.paul, "submitted", "submitted")
    assert "全国复制推广" in record.reason
    assert Notification.objects.filter(user=cast.nina, text__contains="省级推荐").exists()
    assert AuditEvent.objects.filter(action="recommend:replicated_national").exists()
    with pytest.raises(PermissionDenied):  # a zone office does not recommend
        innovation_recommend(
            user=cast.zoe,
            innovation=recommended,
            selection="replicated_national",
            reason="自荐",
            version=recommended.version,
        )


def test_recommending_through_the_page(client, cast, submitted):
    client.force_login(cast.paul)
    page = client.get(f"/reforms/innovations/{submitted.pk}/").content.decode()
    assert 'id="recommend"' in page
    response = client.post(
        f"/reforms/innovations/{submitted.pk}/recommend/",
        {"selection": "top_ten", "reason": "成效显著", "version": submitted.version},
    )
    assert response.status_code == 302
    assert submitted.transitions.filter(reason__contains="十佳案例").exists()


def test_a_selected_innovation_is_frozen_until_reopened(client, cast, submitted):
    selected = step(cast.nina, submitted, "selected", "全国推广", selection="replicated_national")
    with pytest.raises(ValidationError, match="已入选"):
        effect_add(user=cast.zoe, innovation=selected, measure="办理时间", before=10, after=2)
    with pytest.raises(ValidationError, match="已入选"):
        innovation_update(user=cast.zoe, innovation=selected, version=selected.version, title="改")
    client.force_login(cast.zoe)
    response = client.post(
        f"/reforms/innovations/{selected.pk}/effects/",
        {"measure": "办理时间", "before": 10, "after": 2},
    )
    assert response.status_code == 400 and not selected.effects.exists()
    patched = client.patch(
        f"/api/innovations/{selected.pk}",
        {"version": selected.version, "title": "改"},
        content_type="application/json",
    )
    assert patched.status_code == 422 and "已入选" in patched.content.decode()
    with pytest.raises(PermissionDenied):  # the provincial office did not confer it
        step(cast.paul, selected, "submitted", "重新评审")
    reopened = step(cast.nina, selected, "submitted", "补充成效后重新评审")
    assert (reopened.state, reopened.selection) == ("submitted", "")
    assert reopened.transitions.filter(from_state="selected", to_state="submitted").exists()
    assert AuditEvent.objects.filter(action="transition:submitted", note__contains="补充").exists()
    effect_add(user=cast.zoe, innovation=reopened, measure="办理时间", before=10, after=2)
    assert reopened.effects.count() == 1


def test_the_review_buttons_say_what_they_do(client, cast, submitted):
    client.force_login(cast.nina)
    page = client.get(f"/reforms/innovations/{submitted.pk}/").content.decode()
    actions = page.split('id="lifecycle-actions"')[1].split("</section>")[0]
    assert ">退回修改</button>" in actions and ">入选</button>" in actions
    assert ">撤回</button>" in actions and "形成成果" not in actions


def test_recommending_through_the_api(client, cast, submitted):
    url = f"/api/innovations/{submitted.pk}/recommendations"
    body = {"selection": "replicated_national", "reason": "运行稳定", "version": submitted.version}
    client.force_login(cast.zoe)
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(cast.paul)
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    assert submitted.transitions.filter(by=cast.paul, reason__startswith="推荐为").exists()
