"""The permission matrix: every role × every action × own or other scope, enforced by the
service layer that the pages, the API and the CLI all call."""

import pytest
from django.core.exceptions import PermissionDenied

from zimao.accounts.access import Action, allowed
from zimao.accounts.models import Membership, Role
from zimao.audit.models import AuditEvent
from zimao.audit.writes import EditConflict
from zimao.reforms.models import Innovation, PilotTask
from zimao.reforms.services import (
    innovation_create,
    innovation_update,
    task_update,
)
from zimao.zones.models import Area, Plan, Zone

pytestmark = pytest.mark.django_db

V, C, E, R, S = Action.VIEW, Action.CREATE, Action.EDIT, Action.REVIEW, Action.SELECT
D = Action.DESIGNATE
# role: the actions allowed on an unpublished record of its own scope, and of another scope.
MATRIX = {
    "national": ({V, C, E, R, S, D}, {V, C, E, R, S, D}),
    "provincial": ({V, C, E, R, S}, set()),
    "zone": ({V, C, E}, set()),
    "area": ({V, C, E}, set()),
    "researcher": ({V}, {V}),
    "public": (set(), set()),
}


@pytest.fixture
def people(cast):
    """The shared cast by role name."""
    return {
        "national": cast.nina,
        "provincial": cast.paul,
        "zone": cast.zoe,
        "area": cast.ada,
        "researcher": cast.rita,
        "public": cast.public,
    }


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
def test_the_matrix_on_unpublished_records(people, records, role, action):
    own_allowed, other_allowed = MATRIX[role]
    own, other = records
    assert allowed(people[role], action, own) is (action in own_allowed)
    assert allowed(people[role], action, other) is (action in other_allowed)


@pytest.mark.parametrize("role", MATRIX)
def test_everyone_reads_published_records(people, records, role):
    _, other = records
    other.published = True
    assert allowed(people[role], Action.VIEW, other) is True


def test_an_area_office_cannot_edit_another_area_of_its_zone(people):
    nansha = Innovation.objects.create(
        title="南沙国际航运服务",
        zone=Zone.objects.get(code="guangdong"),
        area=Area.objects.get(name_zh="南沙片区"),
    )
    assert not allowed(people["area"], Action.EDIT, nansha)
    assert allowed(people["zone"], Action.EDIT, nansha)


def test_services_enforce_the_rules(people, records):
    own, other = records
    sichuan = Zone.objects.get(code="sichuan")
    with pytest.raises(PermissionDenied):
        innovation_create(user=people["zone"], title="越权新增", zone=sichuan)
    with pytest.raises(PermissionDenied):
        innovation_update(user=people["zone"], innovation=other, version=other.version, title="x")
    with pytest.raises(PermissionDenied):
        innovation_update(user=people["researcher"], innovation=own, version=own.version, title="x")
    with pytest.raises(PermissionDenied):  # publishing is a review decision
        innovation_update(user=people["zone"], innovation=own, version=own.version, published=True)
    with pytest.raises(PermissionDenied):  # nor can a record be moved out of one's scope
        innovation_update(user=people["zone"], innovation=own, version=own.version, zone=sichuan)
    assert not AuditEvent.objects.exists()
    created = innovation_create(user=people["zone"], title="前海新做法", zone=own.zone)
    assert created.created_by == people["zone"]
    published = innovation_update(
        user=people["provincial"], innovation=created, version=created.version, published=True
    )
    assert published.published and published.version == 2


def test_every_change_is_audited_with_before_and_after(people, records):
    own, _ = records
    innovation_update(
        user=people["area"], innovation=own, version=1, title="前海跨境执业备案制（升级版）"
    )
    event = AuditEvent.objects.get(record_type="reforms.innovation", record_id=str(own.pk))
    assert event.actor == people["area"] and event.action == "update"
    assert event.before["title"] == "前海跨境执业备案制"
    assert event.after["title"] == "前海跨境执业备案制（升级版）"


def test_a_stale_edit_is_refused_and_says_what_changed(people, records):
    own, _ = records
    first_view = Innovation.objects.get(pk=own.pk)
    second_view = Innovation.objects.get(pk=own.pk)
    innovation_update(user=people["zone"], innovation=first_view, version=1, mechanism="做法甲")
    with pytest.raises(EditConflict) as conflict:
        innovation_update(
            user=people["area"], innovation=second_view, version=1, mechanism="做法乙"
        )
    assert conflict.value.changes == {"mechanism": ("做法乙", "做法甲")}
    assert Innovation.objects.get(pk=own.pk).mechanism == "做法甲"
    assert AuditEvent.objects.filter(record_id=str(own.pk)).count() == 1


def test_a_zone_office_records_task_progress_only_in_its_zone(people):
    own_plan = Plan.objects.filter(zone__code="guangdong").first()
    other_plan = Plan.objects.filter(zone__code="sichuan").first()
    own = PilotTask.objects.create(plan=own_plan, number="1", text="深化粤港澳服务贸易自由化")
    other = PilotTask.objects.create(plan=other_plan, number="1", text="建设内陆开放门户")
    updated = task_update(
        user=people["zone"], task=own, version=1, status="implemented", evidence="已出台实施细则"
    )
    assert (updated.status, updated.version) == ("implemented", 2)
    with pytest.raises(PermissionDenied):
        task_update(user=people["zone"], task=other, version=1, status="implemented")
    with pytest.raises(ValueError, match="not editable"):
        task_update(user=people["zone"], task=own, version=2, text="改写任务")


def test_a_membership_must_match_its_scope(people):
    from django.core.exceptions import ValidationError

    wrong = Membership(user=people["national"], role=Role.ZONE)
    with pytest.raises(ValidationError):
        wrong.full_clean()
