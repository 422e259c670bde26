"""Writes of enterprise demands, through the one write path (checked, versioned, audited).

Who may do what is the access layer's answer plus one rule it cannot express: the enterprise
that raised a demand (the records' `creator`) may read it, add evidence and rate the answer,
but the office steps (verify, triage, assign, publish, promote, escalate) need an office whose
scope covers the record, never the enterprise itself.
"""

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from zimao.accounts.access import (
    Action,
    Actor,
    SystemActor,
    allowed,
    is_all_powerful,
    memberships_of,
    rules_of,
    scope_of,
)
from zimao.accounts.models import Membership, Role, User
from zimao.alerts.notify import notify
from zimao.attachments import services as attachments
from zimao.attachments.sniff import Refused, sniff
from zimao.audit import writes
from zimao.audit.services import acting_user
from zimao.reforms.models import Innovation, ResponsibleUnit
from zimao.reforms.services import innovation_create
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Zone

from .creditcode import check_credit_code
from .models import (
    Assignment,
    AuthorityRequest,
    Demand,
    DemandStep,
    DepartmentContact,
    Enterprise,
    RegistrationAttempt,
)

ENTERPRISE_FIELDS = ("name", "credit_code", "zone", "area", "contact_name", "verified_at")
DEMAND_FIELDS = (
    "enterprise",
    "zone",
    "area",
    "title",
    "problem",
    "blocker",
    "industry",
    "change",
    "benchmark",
    "status",
    "reason",
    "merged_into",
    "innovation",
    "public",
    "rating",
    "rating_note",
    "triaged_at",
    "answered_at",
)
ASSIGNMENT_FIELDS = (
    "demand",
    "unit",
    "contact",
    "due_date",
    "status",
    "answer",
    "answered_at",
    "answered_by",
)
AUTHORITY_FIELDS = (
    "zone",
    "area",
    "demand",
    "innovation",
    "level",
    "domain",
    "power",
    "request",
    "status",
    "answer",
    "answered_at",
    "answered_by",
)
CONTACT_FIELDS = ("unit", "user")
MAX_FILES = 5
# What the demand form asks for, its label and its longest length.
TEXT_LIMITS = {
    "title": (_("诉求标题"), 120),
    "problem": (_("遇到的问题"), 5000),
    "blocker": (_("造成阻碍的流程或规定"), 5000),
    "industry": (_("所属行业"), 50),
    "change": (_("希望的改革"), 5000),
    "benchmark": (_("可对标的国际做法"), 5000),
    "reason": (_("理由"), 2000),
    "answer": (_("答复"), 10000),
    "power": (_("所需事权"), 200),
    "request": (_("请求内容"), 5000),
    "mechanism": (_("做法"), 20000),
}
MARKUP = re.compile(r"<\s*[/!?a-zA-Z]|javascript\s*:", re.IGNORECASE)
Status = Demand.Status
# Closes a demand when its department contact (who may not edit the demand) sends the last answer.
ANSWERS = SystemActor("demand-answers")


# -- checks ------------------------------------------------------------------------------


def is_office_for(user: Actor, record: models.Model, action: Action = Action.EDIT) -> bool:
    """Whether an office membership of the user covers the record (the enterprise that raised
    it does not count: `creator` rights are not an office's)."""
    if is_all_powerful(user):
        return True
    scope = replace(scope_of(record), creator=None, owner=None, published=False, members=False)
    return allowed(user, action, scope, rules_of(record))


def check_office(user: Actor, record: models.Model, action: Action = Action.EDIT) -> None:
    if not is_office_for(user, record, action):
        raise PermissionDenied(_("只有负责该诉求的自贸试验区或片区工作机构可以办理此步骤。"))


def clean_text(field: str, value: str | None, *, required: bool = True) -> str:
    """A text field trimmed, bounded and free of markup (a script never reaches a page)."""
    label, limit = TEXT_LIMITS.get(field, (field, 5000))
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写“%(f)s”。") % {"f": label}})
    if len(text) > limit:
        raise ValidationError(
            {field: _("“%(f)s”不能超过 %(n)s 个字符。") % {"f": label, "n": limit}}
        )
    if MARKUP.search(text):
        raise ValidationError(
            {
                field: _("“%(f)s”不能包含网页标记或脚本（如 <script>），请只填写文字。")
                % {"f": label}
            }
        )
    return text


def offices_of(zone_id: int, area_id: int | None) -> QuerySet[User]:
    """The people of the offices that carry a demand: the area office (if any) and the zone's."""
    q = Q(role=Role.ZONE, zone_id=zone_id)
    if area_id:
        q |= Q(role=Role.AREA, area_id=area_id)
    users = Membership.objects.filter(q).values("user_id")
    return User.objects.filter(pk__in=users, is_active=True).order_by("pk")


def _submitter(demand: Demand) -> list[User]:
    user = demand.enterprise.user
    return [user] if user is not None else []


def _step(demand: Demand, status: str, note: str = "") -> None:
    DemandStep.objects.create(demand=demand, status=status, note=note[:300])


# -- enterprises ---------------------------------------------------------------------------


def _enterprise_values(
    *, name: str, credit_code: str, zone: Zone | None, area: Area | None, contact_name: str
) -> dict[str, object]:
    name = (name or "").strip()
    if not name or len(name) > 200 or MARKUP.search(name):
        raise ValidationError({"name": _("请填写企业名称（不超过 200 个字符，不含网页标记）。")})
    code = check_credit_code(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("该统一社会信用代码已经登记。")})
    if zone is None:
        raise ValidationError({"zone": _("请选择企业所在的自贸试验区。")})
    if area is not None and area.zone_id != zone.pk:
        raise ValidationError({"area": _("所选片区不属于该自贸试验区。")})
    contact = (contact_name or "").strip()
    if len(contact) > 50 or MARKUP.search(contact):
        raise ValidationError({"contact_name": _("联系人不超过 50 个字符，不含网页标记。")})
    return {"name": name, "credit_code": code, "zone": zone, "area": area, "contact_name": contact}


def enterprise_register(
    *,
    username: str,
    password: str,
    email: str,
    name: str,
    credit_code: str,
    zone: Zone | None,
    area: Area | None = None,
    contact_name: str = "",
) -> Enterprise:
    """Self-registration: a new account and its enterprise, unverified (it cannot submit until
    the zone or area office verifies it), and the office is told."""
    values = _enterprise_values(
        name=name, credit_code=credit_code, zone=zone, area=area, contact_name=contact_name
    )
    username = (username or "").strip()
    if not re.fullmatch(r"[\w.@+-]{3,150}", username):
        raise ValidationError({"username": _("用户名为 3–150 个字母、数字或 . @ + - _。")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")})
    email = (email or "").strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) or len(email) > 254:
        raise ValidationError({"email": _("请填写有效的电子邮箱，用于接收办理进度。")})
    user = User(username=username, email=email, display_name=str(values["name"])[:100])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        enterprise = writes.create(
            user=user,
            record=Enterprise(user=user, **values),
            fields=ENTERPRISE_FIELDS,
            audit_action="register",
        )
        notify(
            offices_of(enterprise.zone_id, enterprise.area_id),
            _("企业“%(n)s”注册了账号，待核验。") % {"n": enterprise.name},
            reverse("demands:enterprises"),
            kind="review",
        )
    return enterprise


def enterprise_add(
    *,
    user: Actor,
    name: str,
    credit_code: str,
    zone: Zone | None,
    area: Area | None = None,
    contact_name: str = "",
) -> Enterprise:
    """An office enters an enterprise without an account, to submit on its behalf; the office
    has seen it, so it is verified at once."""
    values = _enterprise_values(
        name=name, credit_code=credit_code, zone=zone, area=area, contact_name=contact_name
    )
    record = Enterprise(**values, verified_at=timezone.now(), verified_by=acting_user(user))
    check_office(user, record, Action.CREATE)
    return writes.create(user=user, record=record, fields=ENTERPRISE_FIELDS)


def enterprise_verify(*, user: Actor, enterprise: Enterprise, version: int) -> Enterprise:
    """The zone or area office confirms the enterprise is who it says (audited)."""
    check_office(user, enterprise)
    if enterprise.verified:
        return enterprise
    saved = writes.update(
        user=user,
        record=enterprise,
        changes={"verified_at": timezone.now(), "verified_by": acting_user(user)},
        fields=(*ENTERPRISE_FIELDS, "verified_by"),
        version=version,
        audit_action="verify",
    )
    if saved.user is not None:
        notify(
            [saved.user],
            _("您的企业账号已核验，可以提交诉求。"),
            reverse("demands:new"),
        )
    return saved


# -- submitting ----------------------------------------------------------------------------


def _checked_files(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Every file checked (count, size, real type) before anything is stored."""
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("最多上传 %(n)s 个附件。") % {"n": MAX_FILES}})
    for name, data in files:
        if len(data) > attachments.max_bytes():
            raise ValidationError(
                {
                    "files": _("“%(f)s”过大：单个附件不能超过 %(n)s MB。")
                    % {"f": name[:60], "n": settings.ATTACHMENT_MAX_MB}
                }
            )
        try:
            sniff(data)
        except Refused as exc:
            raise ValidationError({"files": f"“{name[:60]}”：{exc}"}) from exc
    return list(files)


class TooFrequent(ValidationError):
    """A submission over an hourly allowance: answered 429, and nothing of it is stored."""


def registration_attempt(address: str | None, now: datetime | None = None) -> None:
    """Count one self-registration attempt from a client address, or refuse it storing
    nothing: at most REGISTER_RATE_PER_IP attempts (valid or not, so credit codes cannot be
    probed) per address, and REGISTER_RATE new enterprise accounts on the whole site, in any
    hour. The address is kept as a keyed hash for that hour only."""
    now = now or timezone.now()
    since = now - timedelta(hours=1)
    if settings.REGISTER_RATE:
        made = Enterprise.objects.filter(user__isnull=False, created_at__gte=since).count()
        if made >= settings.REGISTER_RATE:
            raise TooFrequent(
                _("注册人数过多：本站每小时最多受理 %(n)s 个企业注册，请一小时后再试。")
                % {"n": settings.REGISTER_RATE}
            )
    if not settings.REGISTER_RATE_PER_IP:
        return
    key = salted_hmac("zimao.demands.register", address or "-", algorithm="sha256").hexdigest()
    with transaction.atomic():
        RegistrationAttempt.objects.filter(at__lt=since).delete()
        tried = RegistrationAttempt.objects.filter(address=key, at__gte=since).count()
        if tried >= settings.REGISTER_RATE_PER_IP:
            raise TooFrequent(
                _("注册过于频繁：同一网络地址每小时最多提交 %(n)s 次注册，请稍后再试。")
                % {"n": settings.REGISTER_RATE_PER_IP}
            )
        RegistrationAttempt.objects.create(address=key, at=now)


def check_rate(user: Actor) -> None:
    """At most DEMAND_RATE submissions per account in any hour."""
    maker = acting_user(user)
    if maker is None or not settings.DEMAND_RATE:
        return
    since = timezone.now() - timedelta(hours=1)
    sent = Demand.objects.filter(submitted_by=maker, created_at__gte=since).count()
    if sent >= settings.DEMAND_RATE:
        raise TooFrequent(
            _("提交过于频繁：每个账号每小时最多提交 %(n)s 条诉求，请稍后再试。")
            % {"n": settings.DEMAND_RATE}
        )


def demand_submit(
    *,
    user: Actor,
    enterprise: Enterprise,
    title: str,
    problem: str,
    blocker: str,
    industry: str,
    change: str,
    benchmark: str = "",
    files: Sequence[tuple[str, bytes]] = (),
    token: str | None = None,
) -> Demand:
    """A demand with its evidence: all of it is stored, or nothing (a refused file, a refused
    field or the rate limit leave no row and no file behind)."""
    own = acting_user(user) is not None and enterprise.user_id == getattr(user, "pk", None)
    if not own:
        check_office(
            user,
            Demand(enterprise=enterprise, zone=enterprise.zone, area=enterprise.area),
            Action.CREATE,
        )
    if not enterprise.verified:
        raise ValidationError(
            _("企业账号尚未核验：请等待自贸试验区或片区工作机构核验后再提交诉求。")
        )
    values = {
        "title": clean_text("title", title),
        "problem": clean_text("problem", problem),
        "blocker": clean_text("blocker", blocker),
        "industry": clean_text("industry", industry),
        "change": clean_text("change", change),
        "benchmark": clean_text("benchmark", benchmark, required=False),
    }
    checked = _checked_files(files)
    record = Demand(
        enterprise=enterprise,
        zone=enterprise.zone,
        area=enterprise.area,
        submitted_by=acting_user(user),
        **values,
    )
    stored: list[tuple[str, str]] = []
    try:
        with transaction.atomic():
            # one submission at a time per account, so the count below is exact
            maker = acting_user(user)
            if maker is not None:
                User.objects.select_for_update().filter(pk=maker.pk).first()
            check_rate(user)
            demand = writes.create(
                user=user,
                record=record,
                fields=DEMAND_FIELDS,
                audit_action="submit",
                token=token,
                then=lambda d: _step(d, Status.SUBMITTED),
            )
            for name, data in checked:
                added = attachments.attachment_add(user=user, record=demand, name=name, data=data)
                stored.append((added.file, added.sha256))
            notify(
                offices_of(demand.zone_id, demand.area_id),
                _("新的企业诉求待受理：%(t)s") % {"t": demand.title},
                demand.get_absolute_url(),
                kind="review",
            )
    except BaseException:
        for name, sha256 in stored:
            with contextlib.suppress(Exception):
                attachments._discard(name, sha256)
        raise
    return demand


# -- triage, assignment, answers -----------------------------------------------------------


def _update(user: Actor, demand: Demand, version: int, note: str, **changes: object) -> Demand:
    status = str(changes.get("status", demand.status))
    return writes.update(
        user=user,
        record=demand,
        changes=changes,
        fields=DEMAND_FIELDS,
        version=version,
        audit_action=f"status:{status}" if "status" in changes else "update",
        note=note,
        then=(lambda d: _step(d, status, note)) if "status" in changes else None,
    )


def demand_accept(*, user: Actor, demand: Demand, version: int) -> Demand:
    check_office(user, demand)
    if demand.status != Status.SUBMITTED:
        raise ValidationError(_("只有待受理的诉求可以受理。"))
    saved = _update(
        user, demand, version, _("已受理"), status=Status.ACCEPTED, triaged_at=timezone.now()
    )
    notify(
        _submitter(saved),
        _("您的诉求“%(t)s”已受理。") % {"t": saved.title},
        saved.get_absolute_url(),
    )
    return saved


def demand_reject(*, user: Actor, demand: Demand, version: int, reason: str) -> Demand:
    check_office(user, demand)
    if demand.status not in (Status.SUBMITTED, Status.ACCEPTED):
        raise ValidationError(_("该诉求已在办理，不能再不予受理。"))
    text = clean_text("reason", reason)
    saved = _update(
        user,
        demand,
        version,
        text,
        status=Status.REJECTED,
        reason=text,
        triaged_at=timezone.now(),
    )
    notify(
        _submitter(saved),
        _("您的诉求“%(t)s”不予受理：%(r)s") % {"t": saved.title, "r": text[:100]},
        saved.get_absolute_url(),
    )
    return saved


def demand_merge(*, user: Actor, demand: Demand, version: int, into: Demand) -> Demand:
    """Fold a demand into another of the same zone: it follows that one's path from now on."""
    check_office(user, demand)
    check_office(user, into)
    if into.pk == demand.pk or into.zone_id != demand.zone_id:
        raise ValidationError(_("只能合并到同一自贸试验区的另一条诉求。"))
    if into.status in (Status.REJECTED, Status.MERGED) or demand.status not in (
        Status.SUBMITTED,
        Status.ACCEPTED,
    ):
        raise ValidationError(_("不能合并：目标诉求已不予受理或已被合并，或本诉求已在办理。"))
    note = _("合并到诉求“%(t)s”") % {"t": into.title}
    saved = _update(
        user,
        demand,
        version,
        note,
        status=Status.MERGED,
        merged_into=into,
        triaged_at=timezone.now(),
    )
    text = _("您的诉求“%(t)s”已与同类诉求合并办理。") % {"t": saved.title}
    notify(_submitter(saved), text, saved.get_absolute_url())
    return saved


def demand_triage(
    *,
    user: Actor,
    demand: Demand,
    version: int,
    decision: str,
    reason: str = "",
    into: Demand | None = None,
) -> Demand:
    """An office's first decision on a demand, as the page and the API both take it: accept,
    reject with a reason, or merge into another of the zone's demands."""
    if decision == "accept":
        return demand_accept(user=user, demand=demand, version=version)
    if decision == "reject":
        return demand_reject(user=user, demand=demand, version=version, reason=reason)
    if into is None:
        raise ValidationError({"into": _("请选择要合并到的诉求。")})
    return demand_merge(user=user, demand=demand, version=version, into=into)


def default_due(day: date) -> date:
    return day + timedelta(days=settings.DEMAND_ANSWER_DAYS)


def demand_assign(
    *, user: Actor, demand: Demand, version: int, units: Iterable[tuple[ResponsibleUnit, date]]
) -> Demand:
    """Ask one or more departments of the zone's catalogue to answer, each by its deadline;
    their contacts are told by e-mail."""
    check_office(user, demand)
    if demand.status not in (Status.ACCEPTED, Status.ASSIGNED):
        raise ValidationError(_("请先受理诉求，再交办部门。"))
    wanted = list(units)
    if not wanted:
        raise ValidationError({"units": _("请至少选择一个承办部门。")})
    taken = set(demand.assignments.values_list("unit_id", flat=True))
    names = []
    with transaction.atomic():
        for unit, due in wanted:
            if unit.zone_id != demand.zone_id:
                raise ValidationError({"units": _("承办部门须来自本试验区的部门名录。")})
            if unit.pk in taken:
                raise ValidationError({"units": _("“%(u)s”已交办过。") % {"u": unit.name}})
            contacts = list(
                DepartmentContact.objects.filter(unit=unit).select_related("user").order_by("id")
            )
            assignment = writes.create(
                user=user,
                record=Assignment(
                    demand=demand,
                    unit=unit,
                    due_date=due,
                    contact=contacts[0].user if contacts else None,
                ),
                fields=ASSIGNMENT_FIELDS,
                audit_action="assign",
            )
            taken.add(unit.pk)
            names.append(unit.name)
            notify(
                [c.user for c in contacts],
                _("请办理企业诉求“%(t)s”，办理时限 %(d)s。") % {"t": demand.title, "d": due},
                assignment.get_absolute_url(),
                kind="review",
            )
        note = _("交办：%(u)s") % {"u": "、".join(names)}
        saved = _update(user, demand, version, note, status=Status.ASSIGNED)
    text = _("您的诉求“%(t)s”已交办%(u)s办理。") % {"t": saved.title, "u": "、".join(names)}
    notify(_submitter(saved), text, saved.get_absolute_url())
    return saved


def may_answer(user: Actor, assignment: Assignment) -> bool:
    """The department's contact, or an office of the demand's scope (recording the answer a
    department sent on paper)."""
    if assignment.status != Assignment.Status.OPEN:
        return False
    mine = acting_user(user) is not None and assignment.contact_id == getattr(user, "pk", None)
    return mine or is_office_for(user, assignment)


def assignment_answer(
    *, user: Actor, assignment: Assignment, version: int, answer: str
) -> Assignment:
    """A department's answer; when every department has answered, the demand is answered."""
    if not may_answer(user, assignment):
        raise PermissionDenied(_("只有承办部门联系人或负责的工作机构可以答复。"))
    text = clean_text("answer", answer)
    with transaction.atomic():
        saved = writes.update(
            user=user,
            record=assignment,
            changes={
                "status": Assignment.Status.ANSWERED,
                "answer": text,
                "answered_at": timezone.now(),
                "answered_by": acting_user(user),
            },
            fields=ASSIGNMENT_FIELDS,
            version=version,
            audit_action="answer",
        )
        demand = Demand.objects.select_for_update().get(pk=saved.demand_id)
        _step(demand, Status.ASSIGNED, _("%(u)s已答复") % {"u": saved.unit.name})
        still_open = demand.assignments.filter(status=Assignment.Status.OPEN).exists()
        if not still_open and demand.status == Status.ASSIGNED:
            # the last department's answer closes the demand: a write of the system's own
            demand = writes.update(
                user=user if is_office_for(user, demand) else ANSWERS,
                record=demand,
                changes={"status": Status.ANSWERED, "answered_at": timezone.now()},
                fields=DEMAND_FIELDS,
                version=demand.version,
                audit_action=f"status:{Status.ANSWERED}",
                then=lambda d: _step(d, Status.ANSWERED),
            )
    notify(
        _submitter(demand),
        _("您的诉求“%(t)s”收到%(u)s的答复。") % {"t": demand.title, "u": saved.unit.name},
        demand.get_absolute_url(),
    )
    notify(
        offices_of(demand.zone_id, demand.area_id),
        _("%(u)s已答复诉求“%(t)s”。") % {"u": saved.unit.name, "t": demand.title},
        demand.get_absolute_url(),
    )
    return saved


def demand_publish(*, user: Actor, demand: Demand, version: int, public: bool) -> Demand:
    """Publish (or withdraw) an answered demand and its answers; the enterprise stays unnamed."""
    check_office(user, demand)
    if public and demand.status != Status.ANSWERED:
        raise ValidationError(_("只有已答复的诉求可以公开。"))
    return _update(user, demand, version, "", public=public)


def demand_rate(
    *, user: Actor, demand: Demand, version: int, rating: int, note: str = ""
) -> Demand:
    """The enterprise's satisfaction (满意度 1–5) with the answer, once answered."""
    if acting_user(user) is None or demand.enterprise.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("只有提出诉求的企业可以评价答复。"))
    if demand.status != Status.ANSWERED:
        raise ValidationError(_("诉求答复后才能评价。"))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("满意度为 1 至 5 分。")})
    text = (note or "").strip()
    if len(text) > 300 or MARKUP.search(text):
        raise ValidationError({"rating_note": _("评价意见不超过 300 个字符，不含网页标记。")})
    saved = _update(user, demand, version, "", rating=rating, rating_note=text)
    _step(saved, saved.status, _("企业评价：%(n)s 分") % {"n": rating})
    return saved


# -- from demands to innovations -----------------------------------------------------------


def promote_group(demand: Demand) -> list[Demand]:
    """A demand and those merged into it: what a promotion carries."""
    return [demand, *Demand.objects.filter(merged_into=demand).order_by("created_at", "id")]


def demand_promote(
    *, user: Actor, demand: Demand, title: str, domain: Domain | None = None
) -> Innovation:
    """Turn a demand (with those merged into it) into an innovation proposal of its zone,
    linked both ways: the innovation lists its demands and each demand names the innovation."""
    check_office(user, demand)
    if demand.status in (Status.SUBMITTED, Status.REJECTED, Status.MERGED):
        raise ValidationError(_("只有已受理的诉求可以转化为制度创新。"))
    if demand.innovation_id:
        raise ValidationError(_("该诉求已转化为制度创新。"))
    name = clean_text("title", title)
    group = promote_group(demand)
    mechanism = "\n\n".join(
        _("企业诉求：%(t)s\n堵点：%(b)s\n期望改革：%(c)s")
        % {"t": d.title, "b": d.blocker, "c": d.change}
        for d in group
    )[:20000]
    with transaction.atomic():
        innovation = innovation_create(
            user=user,
            title=name,
            zone=demand.zone,
            area=demand.area,
            domain=domain,
            mechanism=mechanism,
        )
        for member in group:
            note = _("转化为制度创新“%(t)s”") % {"t": innovation.title}
            writes.update(
                user=user,
                record=member,
                changes={"innovation": innovation},
                fields=DEMAND_FIELDS,
                version=member.version,
                audit_action="promote",
                note=note,
                then=lambda d, n=note: _step(d, d.status, n),  # type: ignore[misc]
            )
    notify(
        [u for d in group for u in _submitter(d)],
        _("您的诉求已转化为制度创新“%(t)s”。") % {"t": innovation.title},
        demand.get_absolute_url(),
    )
    return innovation


# -- powers (事权) -------------------------------------------------------------------------


def _higher_office(level: str, zone: Zone) -> QuerySet[User]:
    if level == AuthorityRequest.Level.NATIONAL:
        q = Q(role=Role.NATIONAL)
    else:
        q = Q(role=Role.PROVINCIAL, province=zone.province)
    users = Membership.objects.filter(q).values("user_id")
    return User.objects.filter(pk__in=users, is_active=True).order_by("pk")


def authority_request_create(
    *,
    user: Actor,
    level: str,
    power: str,
    request: str,
    demand: Demand | None = None,
    innovation: Innovation | None = None,
    domain: Domain | None = None,
) -> AuthorityRequest:
    """A zone or area office asks the province or the nation for a power it lacks, for a
    demand or an innovation of its own."""
    if level not in AuthorityRequest.Level.values:
        raise ValidationError({"level": _("请选择报请省级或国家。")})
    source: Demand | Innovation | None = demand or innovation
    if source is None or source.zone is None:
        raise ValidationError(_("事权请求须来自一条诉求或一项制度创新。"))
    check_office(user, source)
    record = AuthorityRequest(
        zone=source.zone,
        area=source.area,
        demand=demand,
        innovation=innovation,
        level=level,
        domain=domain or (innovation.domain if innovation else None),
        power=clean_text("power", power),
        request=clean_text("request", request),
        created_by=acting_user(user),
    )
    check_office(user, record, Action.CREATE)
    with transaction.atomic():
        saved = writes.create(
            user=user, record=record, fields=AUTHORITY_FIELDS, audit_action="escalate"
        )
        if demand is not None:
            _step(
                demand,
                demand.status,
                _("报请%(l)s事权：%(p)s") % {"l": saved.get_level_display(), "p": saved.power},
            )
        notify(
            _higher_office(level, source.zone),
            _("%(z)s报请事权：%(p)s") % {"z": source.zone.short_name_zh, "p": saved.power},
            saved.get_absolute_url(),
            kind="review",
        )
    return saved


def may_answer_authority(user: Actor, item: AuthorityRequest) -> bool:
    """The province answers provincial requests of its zones (or the nation does); national
    requests only the national office."""
    if item.status != AuthorityRequest.Status.OPEN:
        return False
    if is_all_powerful(user):
        return True
    if item.level == AuthorityRequest.Level.NATIONAL:
        return any(m.role == Role.NATIONAL for m in memberships_of(user))
    return is_office_for(user, item, Action.REVIEW)


def authority_answer(
    *, user: Actor, item: AuthorityRequest, version: int, status: str, answer: str
) -> AuthorityRequest:
    if not may_answer_authority(user, item):
        raise PermissionDenied(_("只有受理层级的工作机构可以答复该事权请求。"))
    if status not in AuthorityRequest.Status.values or status == AuthorityRequest.Status.OPEN:
        raise ValidationError({"status": _("请选择答复结果：同意、部分同意或不同意。")})
    text = clean_text("answer", answer)
    with transaction.atomic():
        saved = writes.update(
            user=user,
            record=item,
            changes={
                "status": status,
                "answer": text,
                "answered_at": timezone.now(),
                "answered_by": acting_user(user),
            },
            fields=AUTHORITY_FIELDS,
            version=version,
            action=Action.REVIEW,
            audit_action="answer",
        )
        if saved.demand_id:
            demand = Demand.objects.get(pk=saved.demand_id)
            _step(
                demand, demand.status, _("事权请求答复：%(s)s") % {"s": saved.get_status_display()}
            )
    people = list(offices_of(saved.zone_id, saved.area_id))
    if saved.demand_id:
        people += _submitter(
            Demand.objects.select_related("enterprise__user").get(pk=saved.demand_id)
        )
    notify(
        people,
        _("事权请求“%(p)s”已答复：%(s)s") % {"p": saved.power, "s": saved.get_status_display()},
        saved.get_absolute_url(),
    )
    return saved


def contact_add(*, user: Actor, unit: ResponsibleUnit, person: User) -> DepartmentContact:
    """Name a person who answers demands for a department of the zone's catalogue."""
    record = DepartmentContact(unit=unit, user=person)
    check_office(user, record, Action.CREATE)
    if DepartmentContact.objects.filter(unit=unit, user=person).exists():
        raise ValidationError(_("此人已是该部门的联系人。"))
    return writes.create(user=user, record=record, fields=CONTACT_FIELDS)
