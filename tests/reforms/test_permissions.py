"""The permission matrix: every role × every action × own or other scope, enforced by the
service layer that the pages, the API and the CLI all call."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from zimao.accounts.models import Membership, Role, User
from zimao.accounts.permissions import Action, allowed
from zimao.audit.models import AuditEvent
from zimao.reforms.models import Innovation, PilotTask
from zimao.reforms.services import (
    EditConflict,
    innovation_create,
    innovation_scope,
    innovation_update,
    task_update,
)
from zimao.zones.models import Area, Plan, Zone

pytestmark = pytest.mark.django_db

V, C, E, R, S = Action.VIEW, Action.CREATE, Action.EDIT, Action.REVIEW, Action.SELECT
# role: the actions allowed on an unpublished record of its own scope, and of another scope.
MATRIX = {
    "national": ({V, C, E, R, S}, {V, C, E, R, S}),
    "provincial": ({V, C, E, R, S}, set()),
    "zone": ({V, C, E}, set()),
    "area": ({V, C, E}, set()),
    "researcher": ({V}, {V}),
    "public": (set(), set()),
}


@pytest.fixture
def cast():
    """Nina (national), Paul (Guangdong province), Zoe (Guangdong zone), Ada (Qianhai area),
    Rita (researcher) and the anonymous public."""
    guangdong = Zone.objects.get(code="guangdong")
    qianhai = Area.objects.get(zone=guangdong, name_zh="前海蛇口片区")
    people = {}
    for name, role, scope in [
        ("nina", Role.NATIONAL, {}),
        ("paul", Role.PROVINCIAL, {"province": guangdong.province}),
        ("zoe", Role.ZONE, {"zone": guangdong}),
        ("ada", Role.AREA, {"area": qianhai}),
        ("rita", Role.RESEARCHER, {}),
    ]:
        user = User.objects.create_user(name, password=f"pw-{name}-123")
        membership = Membership(user=user, role=role, **scope)
        membership.full_clean()
        membership.save()
        people[role.value] = user
    people["public"] = AnonymousUser()
    return people


@pytest.fixture
def records():
    own = Innovation.objects.create(
        title="前海跨境执业备案制",
        zone=Zone.objects.get(code="guangdong"),
        area=Area.objects.get(name_zh="前海蛇口片区"),
    )
    other = Innovation.objects.create(
        title="川南临港多式联运", zone=Zone.objects.get(code="sichuan")
    )
    return own, other


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("action", list(Action))
def test_the_matrix_on_unpublished_records(cast, records, role, action):
    own_allowed, other_allowed = MATRIX[role]
    own, other = records
    assert allowed(cast[role], action, innovation_scope(own)) is (action in own_allowed)
    assert allowed(cast[role], action, innovation_scope(other)) is (action in other_allowed)


@pytest.mark.parametrize("role", MATRIX)
def test_everyone_reads_published_records(cast, records, role):
    _, other = records
    other.published = True
    assert allowed(cast[role], Action.VIEW, innovation_scope(other)) is True


def test_an_area_office_cannot_edit_another_area_of_its_zone(cast):
    nansha = Innovation.objects.create(
        title="南沙国际航运服务",
        zone=Zone.objects.get(code="guangdong"),
        area=Area.objects.get(name_zh="南沙片区"),
    )
    assert not allowed(cast["area"], Action.EDIT, innovation_scope(nansha))
    assert allowed(cast["zone"], Action.EDIT, innovation_scope(nansha))


def test_services_enforce_the_rules(cast, records):
    own, other = records
    sichuan = Zone.objects.get(code="sichuan")
    with pytest.raises(PermissionDenied):
        innovation_create(user=cast["zone"], title="越权新增", zone=sichuan)
    with pytest.raises(PermissionDenied):
        innovation_update(user=cast["zone"], innovation=other, version=other.version, title="x")
    with pytest.raises(PermissionDenied):
        innovation_update(user=cast["researcher"], innovation=own, version=own.version, title="x")
    with pytest.raises(PermissionDenied):  # publishing is a review decision
        innovation_update(user=cast["zone"], innovation=own, version=own.version, published=True)
    with pytest.raises(PermissionDenied):  # nor can a record be moved out of one's scope
        innovation_update(user=cast["zone"], innovation=own, version=own.version, zone=sichuan)
    assert not AuditEvent.objects.exists()
    created = innovation_create(user=cast["zone"], title="前海新做法", zone=own.zone)
    assert created.created_by == cast["zone"]
    published = innovation_update(
        user=cast["provincial"], innovation=created, version=created.version, published=True
    )
    assert published.published and published.version == 2


def test_every_change_is_audited_with_before_and_after(cast, records):
    own, _ = records
    innovation_update(
        user=cast["area"], innovation=own, version=1, title="前海跨境执业备案制（升级版）"
    )
    event = AuditEvent.objects.get(record_type="reforms.innovation", record_id=str(own.pk))
    assert event.actor == cast["area"] and event.action == "update"
    assert event.before["title"] == "前海跨境执业备案制"
    assert event.after["title"] == "前海跨境执业备案制（升级版）"


def test_a_stale_edit_is_refused_and_says_what_changed(cast, records):
    own, _ = records
    first_view = Innovation.objects.get(pk=own.pk)
    second_view = Innovation.objects.get(pk=own.pk)
    innovation_update(user=cast["zone"], innovation=first_view, version=1, mechanism="做法甲")
    with pytest.raises(EditConflict) as conflict:
        innovation_update(user=cast["area"], innovation=second_view, version=1, mechanism="做法乙")
    assert conflict.value.changes == {"mechanism": ("做法乙", "做法甲")}
    assert Innovation.objects.get(pk=own.pk).mechanism == "做法甲"
    assert AuditEvent.objects.filter(record_id=str(own.pk)).count() == 1


def test_a_zone_office_records_task_progress_only_in_its_zone(cast):
    own_plan = Plan.objects.filter(zone__code="guangdong").first()
    other_plan = Plan.objects.filter(zone__code="sichuan").first()
    own = PilotTask.objects.create(plan=own_plan, number="1", text="深化粤港澳服务贸易自由化")
    other = PilotTask.objects.create(plan=other_plan, number="1", text="建设内陆开放门户")
    updated = task_update(
        user=cast["zone"], task=own, version=1, status="implemented", evidence="已出台实施细则"
    )
    assert (updated.status, updated.version) == ("implemented", 2)
    with pytest.raises(PermissionDenied):
        task_update(user=cast["zone"], task=other, version=1, status="implemented")
    with pytest.raises(ValueError, match="not editable"):
        task_update(user=cast["zone"], task=own, version=2, text="改写任务")


def test_a_membership_must_match_its_scope(cast):
    from django.core.exceptions import ValidationError

    wrong = Membership(user=cast["national"], role=Role.ZONE)
    with pytest.raises(ValidationError):
        wrong.full_clean()
