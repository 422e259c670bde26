"""The innovation lifecycle: proposed → piloting → achieved → submitted → selected, or withdrawn.

Offices move their own innovations forward and may withdraw them; only the offices that
select (national, provincial for their province) can select a submitted innovation or return
it. Every step records who, when and why, is audited, and notifies whoever must act next.
"""

from django.db import transaction

from zimao.accounts.models import Membership, Notification, Role, User
from zimao.accounts.permissions import Action, check, membership_allows
from zimao.audit.services import Actor, acting_user, audit_record

from .models import Innovation, Transition
from .services import innovation_scope

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


def _deciders(innovation: Innovation) -> list[User]:
    scope = innovation_scope(innovation)
    memberships = Membership.objects.filter(
        role__in=[Role.NATIONAL, Role.PROVINCIAL]
    ).select_related("user", "zone", "area")
    return sorted(
        {m.user for m in memberships if membership_allows(m, Action.SELECT, scope)},
        key=lambda u: u.pk,
    )


def _office(innovation: Innovation) -> list[User]:
    users = {innovation.created_by} if innovation.created_by else set()
    memberships = Membership.objects.filter(role=Role.ZONE, zone=innovation.zone).select_related(
        "user"
    )
    users |= {m.user for m in memberships}
    return sorted((u for u in users if u is not None), key=lambda u: u.pk)


def _notify(users: list[User], text: str, innovation: Innovation) -> None:
    url = f"/reforms/innovations/{innovation.pk}/"
    Notification.objects.bulk_create(Notification(user=u, text=text[:300], url=url) for u in users)


def innovation_transition(
    *, user: Actor, innovation: Innovation, to_state: str, reason: str, selection: str = ""
) -> Innovation:
    """Move an innovation one step; raises TransitionError or PermissionDenied."""
    step = (innovation.state, to_state)
    if step not in TRANSITIONS:
        raise TransitionError(f"cannot go from {innovation.state} to {to_state}")
    if not reason.strip():
        raise TransitionError("a reason is required")
    if to_state == State.SELECTED and selection not in Innovation.Selection.values:
        raise TransitionError("say how it was selected (best practice, top ten, replicated …)")
    check(user, TRANSITIONS[step], innovation_scope(innovation))
    with transaction.atomic():
        before = {"state": innovation.state, "selection": innovation.selection}
        innovation.state = to_state
        if to_state == State.SELECTED:
            innovation.selection, innovation.published = selection, True
        innovation.version += 1
        innovation.save(update_fields=["state", "selection", "published", "version"])
        Transition.objects.create(
            innovation=innovation,
            from_state=step[0],
            to_state=to_state,
            by=acting_user(user),
            reason=reason.strip(),
        )
        audit_record(
            actor=user,
            action=f"transition:{to_state}",
            record=innovation,
            before=before,
            after={"state": to_state, "selection": innovation.selection},
            note=reason,
        )
        if to_state == State.SUBMITTED:
            _notify(_deciders(innovation), f"待评审：{innovation.title}", innovation)
        elif step[0] == State.SUBMITTED:
            verdict = {"selected": "已入选", "achieved": "已退回", "withdrawn": "已撤回"}[to_state]
            _notify(_office(innovation), f"{verdict}：{innovation.title}", innovation)
    return innovation
