"""Who may do what to which record: one rule set for the pages, the API and the CLI.

A record's scope is its zone (with that zone's province) and, optionally, its area. Zone and
area offices write only inside their own scope and read others' published records; provincial
and national offices also review and select; researchers read everything and write nothing;
the public reads published records.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from .models import Membership, Role, User


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    REVIEW = "review"
    SELECT = "select"


@dataclass(frozen=True)
class RecordScope:
    zone: str | None  # zone code
    province: str | None
    area: int | None  # area id
    published: bool = False


def _covers(membership: Membership, scope: RecordScope) -> bool:
    role = membership.role
    if role in (Role.NATIONAL, Role.RESEARCHER):
        return True
    if role == Role.PROVINCIAL:
        return scope.province is not None and membership.province == scope.province
    if role == Role.ZONE:
        return membership.zone is not None and membership.zone.code == scope.zone
    if role == Role.AREA:
        return scope.area is not None and membership.area_id == scope.area
    return False


def membership_allows(membership: Membership, action: Action, scope: RecordScope) -> bool:
    role = membership.role
    if action == Action.VIEW:
        return scope.published or _covers(membership, scope)
    if role == Role.RESEARCHER:
        return False
    if action in (Action.REVIEW, Action.SELECT):
        return role in (Role.NATIONAL, Role.PROVINCIAL) and _covers(membership, scope)
    return _covers(membership, scope)  # create, edit


def memberships_of(user: User | AnonymousUser | None) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return list(user.memberships.select_related("zone", "area"))


def allowed(user: User | AnonymousUser | None, action: Action, scope: RecordScope) -> bool:
    if action == Action.VIEW and scope.published:
        return True
    return any(membership_allows(m, action, scope) for m in memberships_of(user))


def check(user: User | AnonymousUser | None, action: Action, scope: RecordScope) -> None:
    """Raise PermissionDenied with a reason when the action is not allowed."""
    if not allowed(user, action, scope):
        where = scope.zone or scope.province or "—"
        raise PermissionDenied(f"not allowed to {action} records of {where}")
