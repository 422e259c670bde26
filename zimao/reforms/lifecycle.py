"""The innovation lifecycle: proposed → piloting → achieved → submitted → selected, or withdrawn.

Offices move their own innovations forward and may withdraw them; only the offices that
select (national, provincial for their province) can select a submitted innovation or return
it. National designations (全国复制推广, 最佳实践案例, 十佳案例) are conferred by the national
office alone: a provincial office recommends them, and selects only 全省复制推广. A selected
innovation is frozen until the office that selected it reopens it. Every step records who,
when and why, is audited, and notifies whoever must act next.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, allowed, scope_of
from zimao.accounts.models import Membership, Notification, Role, User
from zimao.alerts.notify import notify
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
    (State.SELECTED, State.SUBMITTED): Action.SELECT,  # reopened by the office that selected it
}
Selection = Innovation.Selection
# designations on the national list: only the national office confers (or reopens) them
NATIONAL_SELECTIONS = frozenset({Selection.BEST_PRACTICE, Selection.TOP_TEN, Selection.NATIONAL})
# what each step's button says it does
STEP_LABELS: dict[tuple[str, str], str] = {
    (State.PROPOSED, State.PILOTING): "开始试点",
    (State.PILOTING, State.ACHIEVED): "形成成果",
    (State.ACHIEVED, State.SUBMITTED): "提交评审",
    (State.SUBMITTED, State.SELECTED): "入选",
    (State.SUBMITTED, State.ACHIEVED): "退回修改",
    (State.SELECTED, State.SUBMITTED): "重新打开",
}


class TransitionError(ValueError):
    """A step the lifecycle does not allow, or one without a reason."""


def next_states(innovation: Innovation) -> list[str]:
    return [to for (start, to) in TRANSITIONS if start == innovation.state]


def step_label(from_state: str, to_state: str) -> str:
    """The button text for a step: what it does (撤回, 退回修改, 重新打开…)."""
    if to_state == State.WITHDRAWN:
        return _("撤回")
    return _(STEP_LABELS.get((from_state, to_state), _state_label(to_state)))


def may_step(user: Actor, innovation: Innovation, to_state: str) -> bool:
    step = (innovation.state, to_state)
    if step not in TRANSITIONS or not allowed(user, TRANSITIONS[step], innovation):
        return False
    if step == (State.SELECTED, State.SUBMITTED) and innovation.selection in NATIONAL_SELECTIONS:
        return allowed(user, Action.DESIGNATE, innovation)
    return True


def selection_choices(user: Actor, innovation: Innovation) -> list[tuple[str, str]]:
    """The selection kinds this user may confer on this innovation (national ones: national
    office only)."""
    national = allowed(user, Action.DESIGNATE, innovation)
    return [
        (value, str(label))
        for value, label in Selection.choices
        if national or value not in NATIONAL_SELECTIONS
    ]


def recommendable(user: Actor, innovation: Innovation) -> list[tuple[str, str]]:
    """The national designations a provincial office may recommend for this innovation."""
    if innovation.state != State.SUBMITTED or not allowed(user, Action.SELECT, innovation):
        return []
    if allowed(user, Action.DESIGNATE, innovation):
        return []  # the national office decides itself
    return [(v, str(label)) for v, label in Selection.choices if v in NATIONAL_SELECTIONS]


def _check_designation(user: Actor, innovation: Innovation, selection: str) -> None:
    if selection in NATIONAL_SELECTIONS:
        writes.check(user, Action.DESIGNATE, innovation)


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


def _notify(users: list[User], text: str, innovation: Innovation, kind: str = "") -> None:
    url = reverse("reforms:innovation", args=[innovation.pk])
    notify(users, text, url, kind=kind)


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
    if step == (State.SELECTED, State.SUBMITTED):  # only the office that selected it reopens
        _check_designation(user, innovation, innovation.selection)
    if to_state == State.SELECTED:
        _check_designation(user, innovation, selection)
    if not reason.strip():
        raise TransitionError(_("请填写理由"))
    if to_state == State.SELECTED and selection not in Innovation.Selection.values:
        raise TransitionError(_("请选择入选类型（最佳实践案例、十佳案例、复制推广等）"))
    if to_state == State.SELECTED and not innovation.sheets.exists():
        raise TransitionError(_("尚无评分，不能入选：请先完成评分"))
    changes: dict[str, object] = {"state": to_state}
    if to_state == State.SELECTED:
        changes |= {"selection": selection, "published": True}
    elif step == (State.SELECTED, State.SUBMITTED):
        changes |= {"selection": ""}
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
            if origin == State.SELECTED:
                _notify(_office(saved), f"{_('已重新打开')}：{saved.title}", saved, "decision")
        elif origin == State.SUBMITTED:
            _close_requests(saved)
            verdict = {
                State.SELECTED: _("已入选"),
                State.ACHIEVED: _("已退回"),
                State.WITHDRAWN: _("已撤回"),
            }[State(to_state)]
            kind = "returned" if to_state == State.ACHIEVED else "decision"
            _notify(_office(saved), f"{verdict}：{saved.title}", saved, kind=kind)

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


def innovation_recommend(
    *, user: Actor, innovation: Innovation, selection: str, reason: str, version: int
) -> Innovation:
    """A provincial office recommends a submitted innovation for a national designation: the
    recommendation is recorded (a step that keeps the state) and the national office is told."""
    if version != innovation.version:
        raise writes.EditConflict({"version": (version, innovation.version)})
    writes.check(user, Action.SELECT, innovation)
    if innovation.state != State.SUBMITTED:
        raise TransitionError(_("只有待评审的创新可以推荐"))
    if selection not in NATIONAL_SELECTIONS:
        raise TransitionError(_("请选择推荐的国家级类型（全国复制推广、最佳实践案例、十佳案例）"))
    if not reason.strip():
        raise TransitionError(_("请填写理由"))
    label = Selection(selection).label
    note = f"{_('推荐为')}{label}：{reason.strip()}"

    def record(saved: Innovation) -> None:
        Transition.objects.create(
            innovation=saved,
            from_state=State.SUBMITTED,
            to_state=State.SUBMITTED,
            by=acting_user(user),
            reason=note,
        )
        national = Membership.objects.filter(role=Role.NATIONAL).select_related("user")
        users = sorted({m.user for m in national}, key=lambda u: u.pk)
        _notify(users, f"{_('省级推荐')}（{label}）：{saved.title}", saved)

    return writes.update(
        user=user,
        record=innovation,
        changes={},
        fields=("state", "selection", "published"),
        version=version,
        action=Action.SELECT,
        audit_action=f"recommend:{selection}",
        note=note,
        then=record,
    )


def _notify_review(innovation: Innovation) -> None:
    url = reverse("reforms:innovation", args=[innovation.pk])
    notify(_deciders(innovation), f"待评审：{innovation.title}", url, kind="review")


def _state_label(value: str) -> str:
    return str(Innovation.State(value).label) if value in Innovation.State.values else value
