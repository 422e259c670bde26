"""The one access layer: who may see and change which record.

Two questions, one rule set:
- `allowed(user, action, target)` for one record (or one record about to be created);
- `scope_q(user, model, action)` for the queryset filter of every record a user may act on.

Each model states where its scope lives with an `access = Rules(...)` class attribute (paths to
its zone code, province and area, and whether it is public or visible to every member); this
module never imports a domain app, so every app can import it. Pages, the API, the CLI, search,
the audit log, forms and exports all read through `visible()` or `scope_q()`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import Membership, Role, User


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    REVIEW = "review"
    SELECT = "select"
    DESIGNATE = "designate"  # confer a national designation (全国复制推广, 最佳实践案例…)


OFFICES = frozenset({Role.NATIONAL, Role.PROVINCIAL, Role.ZONE, Role.AREA})
DECIDERS = frozenset({Role.NATIONAL, Role.PROVINCIAL})
NATIONAL_OFFICE = frozenset({Role.NATIONAL})
EVERYONE = frozenset(Role)
DEFAULT_ROLES: Mapping[Action, frozenset[Role]] = {
    Action.VIEW: EVERYONE,
    Action.CREATE: OFFICES,
    Action.EDIT: OFFICES,
    Action.REVIEW: DECIDERS,
    Action.SELECT: DECIDERS,
    Action.DESIGNATE: NATIONAL_OFFICE,
}


@dataclass(frozen=True)
class Rules:
    """Where a model's scope lives (ORM paths) and which roles may do what inside it.

    `published`/`members`: a path to a boolean field, or a constant. Published records are
    visible to everyone; members-only records to anyone holding a membership.
    `owner`: a path to a user id for personal records (saved searches, notifications): only
    that user may see or change them, whatever their role (and scripts and administrators).
    `creator`: a path to the id of the user who started a record (background jobs): that user
    may always see and change it, and the scope rules decide for everyone else.
    """

    zone: str | None = None  # path to the zone code, e.g. "zone__code"
    province: str | None = None  # path to the province name, e.g. "zone__province"
    area: str | None = None  # path to the area id, e.g. "area_id"
    published: str | bool = False
    members: str | bool = False
    owner: str | None = None  # path to the owning user's id, e.g. "user_id"
    creator: str | None = None  # path to the starting user's id, e.g. "created_by_id"
    roles: Mapping[Action, frozenset[Role]] = field(default_factory=lambda: DEFAULT_ROLES)

    def roles_for(self, action: Action) -> frozenset[Role]:
        return self.roles.get(action, DEFAULT_ROLES[action])


@dataclass(frozen=True)
class Scope:
    """The scope of one record: its zone (code), the zone's province and its area (id)."""

    zone: str | None = None
    province: str | None = None
    area: int | None = None
    published: bool = False
    members: bool = False
    owner: int | None = None
    creator: int | None = None

    @property
    def unscoped(self) -> bool:
        return self.zone is None and self.province is None and self.area is None


class SystemActor:
    """A script acting on its own authority (the loader, `zimao ingest`, imports from the
    terminal). It may do everything, and the audit log records its name."""

    is_authenticated = True
    is_superuser = False

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"system:{self.name}"


Actor = User | AnonymousUser | SystemActor | None
M = TypeVar("M", bound=models.Model)


def memberships_of(user: Actor) -> list[Membership]:
    """The user's memberships, read once per user object."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_zimao_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("zone", "area__zone"))
        user._zimao_memberships = cached  # type: ignore[attr-defined]
    return cached


def _signed_in(user: Actor) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def is_all_powerful(user: Actor) -> bool:
    return isinstance(user, SystemActor) or bool(
        isinstance(user, User) and user.is_active and user.is_superuser
    )


def _resolve(record: Any, path: str | bool | None) -> Any:
    if path is None or isinstance(path, bool):
        return path
    value = record
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def rules_of(model: type[models.Model] | models.Model) -> Rules:
    rules = getattr(model, "access", None)
    if not isinstance(rules, Rules):
        name = getattr(model, "__name__", type(model).__name__)
        raise TypeError(f"{name} declares no access rules")
    return rules


def scope_of(record: models.Model) -> Scope:
    rules = rules_of(record)
    area = _resolve(record, rules.area)
    return Scope(
        zone=_resolve(record, rules.zone) or None,
        province=_resolve(record, rules.province) or None,
        area=int(area) if area else None,
        published=bool(_resolve(record, rules.published)),
        members=bool(_resolve(record, rules.members)),
        owner=_resolve(record, rules.owner),
        creator=_resolve(record, rules.creator),
    )


def _covers(membership: Membership, scope: Scope, action: Action, rules: Rules) -> bool:
    role = membership.role
    if role not in rules.roles_for(action):
        return False
    if role in (Role.NATIONAL, Role.RESEARCHER):
        return True
    if scope.unscoped:  # records of no zone (national documents): members may read and add
        return bool(rules.members) and action in (Action.VIEW, Action.CREATE)
    if role == Role.PROVINCIAL:
        return scope.province is not None and membership.province == scope.province
    if role == Role.ZONE:
        return membership.zone is not None and membership.zone.code == scope.zone
    if role == Role.AREA:
        return scope.area is not None and membership.area_id == scope.area
    return False


def allowed(
    user: Actor, action: Action, target: models.Model | Scope, rules: Rules | None = None
) -> bool:
    """May `user` do `action` to `target` (a record, saved or about to be, or a Scope with
    the model's rules)?"""
    if is_all_powerful(user):
        return True
    if isinstance(target, models.Model):
        rules, scope = rules_of(target), scope_of(target)
    else:
        scope = target
        rules = rules or Rules()
    if rules.owner is not None:
        return _signed_in(user) and scope.owner == user.pk
    if rules.creator is not None and _signed_in(user) and scope.creator == user.pk:
        return True
    memberships = memberships_of(user)
    if action == Action.VIEW and (scope.published or (scope.members and memberships)):
        return True
    return any(_covers(m, scope, action, rules) for m in memberships)


def check(
    user: Actor, action: Action, target: models.Model | Scope, rules: Rules | None = None
) -> None:
    """Raise PermissionDenied, with a reason a user can read, when the action is not allowed."""
    if not allowed(user, action, target, rules):
        raise PermissionDenied(_("您没有权限执行此操作：该记录不在您的职责范围内。"))


def _membership_q(membership: Membership, rules: Rules, action: Action) -> Q | None:
    """The records one membership covers for `action` (None: all of them)."""
    role = membership.role
    if role not in rules.roles_for(action):
        return Q(pk__in=[])
    if role in (Role.NATIONAL, Role.RESEARCHER):
        return None
    condition = Q(pk__in=[])
    if role == Role.PROVINCIAL and rules.province:
        condition = Q(**{rules.province: membership.province})
    elif role == Role.ZONE and rules.zone and membership.zone is not None:
        condition = Q(**{rules.zone: membership.zone.code})
    elif role == Role.AREA and rules.area and membership.area_id:
        condition = Q(**{rules.area: membership.area_id})
    if rules.members and action in (Action.VIEW, Action.CREATE) and rules.zone:
        condition |= Q(**{f"{rules.zone}__isnull": True})
    return condition


def _flag_q(path: str | bool) -> Q | None:
    """A filter for a boolean rule; None means always true."""
    if isinstance(path, bool):
        return None if path else Q(pk__in=[])
    return Q(**{path: True})


def scope_q(user: Actor, model: type[models.Model], action: Action = Action.VIEW) -> Q:
    """The filter of every record of `model` the user may do `action` to."""
    if is_all_powerful(user):
        return Q()
    rules = rules_of(model)
    if rules.owner is not None:
        return Q(**{rules.owner: user.pk}) if _signed_in(user) else Q(pk__in=[])
    memberships = memberships_of(user)
    condition = Q(pk__in=[])
    if rules.creator is not None and _signed_in(user):
        condition |= Q(**{rules.creator: user.pk})
    if action == Action.VIEW:
        published = _flag_q(rules.published)
        if published is None:
            return Q()
        condition |= published
        if memberships:
            members = _flag_q(rules.members)
            if members is None:
                return Q()
            condition |= members
    for membership in memberships:
        covered = _membership_q(membership, rules, action)
        if covered is None:
            return Q()
        condition |= covered
    return condition


def visible(user: Actor, queryset: QuerySet[M], action: Action = Action.VIEW) -> QuerySet[M]:
    """`queryset` narrowed to what the user may do `action` to."""
    return queryset.filter(scope_q(user, queryset.model, action))


def can_any(user: Actor, action: Action, model: type[models.Model]) -> bool:
    """Whether the user may do `action` to at least some records of `model` (menus, buttons)."""
    if is_all_powerful(user):
        return True
    rules = rules_of(model)
    if rules.owner is not None or rules.creator is not None:
        return _signed_in(user)
    roles = rules.roles_for(action)
    return any(m.role in roles for m in memberships_of(user))


def scope_key(user: Actor) -> str:
    """Who is looking, as a cache key for what they may see: the user (rules name creators and
    owners) and every membership (role and scope), so a changed membership is a new key."""
    if not isinstance(user, User) or not user.is_authenticated:
        return "public" if not isinstance(user, SystemActor) else str(user)
    scopes = sorted(
        (m.role, m.zone_id or 0, m.province, m.area_id or 0) for m in memberships_of(user)
    )
    return f"{user.pk}:{user.is_superuser}:{user.is_active}:{scopes}"


def roles_of(user: Actor) -> Iterable[str]:
    return [m.role for m in memberships_of(user)]
