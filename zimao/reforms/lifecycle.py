"""The innovation lifecycle: proposed → piloting → achieved → submitted → selected, or withdrawn.

Offices move their own innovations forward and may withdraw them; only the offices that
select (national, provincial for their province) can select a submitted innovation or return
it. Every step records who, when and why, is audited, and notifies whoever must act next.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, allowed, scope_of
from zimao.accounts.models import Membership, Notification, Role, User
from zimao.audit import writes
from zimao.audit.services import acting_user

from .models import Innovation, Transition

State = Innovation.State
# (from, to): the action the actor needs over the innovation's scope
TRANSITIONS: dict[tuple[str, str], Action] = {
    (State.PROPOSED, State.PILOTING): Action.EDIT,
    (State.PILOTING, State.ACHIEVED): Action.EDIT,
    (State.ACHIEVED, State.SUBMITTED): Action.EDIT,
    (State.SUBMITTED, State.SELECTED): Action.SELECT,
    (State.SUBMITTED, State.ACHIEVED): Action.REVIEW,  # returned for more work
    (State.PROPOSED, State.WITHDRAWN): Action.EDIT,
    (State.PILOTING, State.WITHDRAWN): Action.EDIT,
    (State.ACHIEVED, State.WITHDRAWN): Action.EDIT,
    (State.SUBMITTED, State.WITHDRAWN): Action.EDIT,
}


class TransitionError(ValueError):
    """A step the lifecycle does not allow, or one without a reason."""


def next_states(innovation: Innovation) -> list[str]:
    return [to for (start, to) in TRANSITIONS if start == innovation.state]


def may_step(user: Actor, innovation: Innovation, to_state: str) -> bool:
    step = (innovation.state, to_state)
    return step in TRANSITIONS and allowed(user, TRANSITIONS[step], innovation)


def _deciders(innovation: Innovation) -> list[User]:
    scope = scope_of(innovation)
    memberships = Membership.objects.filter(
        Q(role=Role.NATIONAL) | Q(role=Role.PROVINCIAL, province=scope.province or "-")
    ).select_related("user", "zone", "area")
    return sorted({m.user for m in memberships}, key=lambda u: u.pk)


def _office(innovation: Innovation) -> list[User]:
    users = {innovation.created_by} if innovation.created_by else set()
    memberships = Membership.objects.filter(role=Role.ZONE, zone=innovation.zone).select_related(
        "user"
    )
    users |= {m.user for m in memberships}
    return sorted((u for u in users if u is not None), key=lambda u: u.pk)


def _notify(users: list[User], text: str, innovation: Innovation) -> None:
    url = reverse("reforms:innovation", args=[innovation.pk])
    Notification.objects.bulk_create(Notification(user=u, text=text[:300], url=url) for u in users)


def _close_requests(innovation: Innovation) -> None:
    """A decision answers the "待评审" notifications it was asked for."""
    url = reverse("reforms:innovation", args=[innovation.pk])
    Notification.objects.filter(url=url, read_at=None, kind="review").update(read_at=timezone.now())


def innovation_transition(
    *,
    user: Actor,
    innovation: Innovation,
    to_state: str,
    reason: str,
    selection: str = "",
    version: int,
) -> Innovation:
    """Move an innovation loaded at `version` one step; raises TransitionError,
    PermissionDenied or EditConflict (someone moved or edited it meanwhile)."""
    if version != innovation.version:  # loaded before someone else moved or edited it
        raise writes.EditConflict(
            {"version": (version, innovation.version), "state": (to_state, innovation.state)}
        )
    step = (innovation.state, to_state)
    if step not in TRANSITIONS:
        raise TransitionError(
            _("不能从“%(a)s”变为“%(b)s”")
            % {"a": Innovation.State(innovation.state).label, "b": _state_label(to_state)}
        )
    writes.check(user, TRANSITIONS[step], innovation)
    if not reason.strip():
        raise TransitionError(_("请填写理由"))
    if to_state == State.SELECTED and selection not in Innovation.Selection.values:
        raise TransitionError(_("请选择入选类型（最佳实践案例、十佳案例、复制推广等）"))
    if to_state == State.SELECTED and not innovation.sheets.exists():
        raise TransitionError(_("尚无评分，不能入选：请先完成评分"))
    changes: dict[str, object] = {"state": to_state}
    if to_state == State.SELECTED:
        changes |= {"selection": selection, "published": True}
    origin = step[0]

    def record_step(saved: Innovation) -> None:
        Transition.objects.create(
            innovation=saved,
            from_state=origin,
            to_state=to_state,
            by=acting_user(user),
            reason=reason.strip(),
        )
        if to_state == State.SUBMITTED:
            _notify_review(saved)
        elif origin == State.SUBMITTED:
            _close_requests(saved)
            verdict = {
                State.SELECTED: _("已入选"),
                State.ACHIEVED: _("已退回"),
                State.WITHDRAWN: _("已撤回"),
            }[State(to_state)]
            _notify(_office(saved), f"{verdict}：{saved.title}", saved)

    return writes.update(
        user=user,
        record=innovation,
        changes=changes,
        fields=("state", "selection", "published"),
        version=version,
        action=TRANSITIONS[step],
        audit_action=f"transition:{to_state}",
        note=reason.strip(),
        then=record_step,
    )


def _notify_review(innovation: Innovation) -> None:
    url = reverse("reforms:innovation", args=[innovation.pk])
    Notification.objects.bulk_create(
        Notification(user=u, text=f"待评审：{innovation.title}"[:300], url=url, kind="review")
        for u in _deciders(innovation)
    )


def _state_label(value: str) -> str:
    return str(Innovation.State(value).label) if value in Innovation.State.values else value
