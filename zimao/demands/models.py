"""Enterprise demands (企业诉求): who raises them, where they are routed, what powers they need.

An enterprise account is an `Enterprise` record held by one user, not a `Membership`: a
membership is an office's scope and lets its holder read members-only records (documents,
jobs), which an enterprise must never see. The access layer reaches an enterprise through the
`creator` path of each record (its own demands and their files), offices through the zone,
province and area paths as everywhere else.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import OFFICES, Action, Rules
from zimao.accounts.models import Role

LOCAL_OFFICES = frozenset({Role.ZONE, Role.AREA, Role.NATIONAL})
HIGHER_OFFICES = frozenset({Role.PROVINCIAL, Role.NATIONAL})
# Researchers read the published answers only: a demand carries an enterprise's business.
KEEP = {Action.VIEW: OFFICES, Action.CREATE: LOCAL_OFFICES, Action.EDIT: LOCAL_OFFICES}


class Enterprise(models.Model):
    """An enterprise that raises demands: self-registered (with a user) or entered by an office
    on its behalf (no user). Only a verified enterprise's own account may submit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprise",
    )
    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    zone = models.ForeignKey("zones.Zone", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "zones.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access = Rules(
        zone="zone__code",
        province="zone__province",
        area="area_id",
        creator="user_id",
        roles=KEEP,
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class Demand(models.Model):
    """A demand: the problem, the rule that blocks it, the change asked for, and its path."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        ASSIGNED = "assigned", _("办理中")
        ANSWERED = "answered", _("已答复")
        REJECTED = "rejected", _("不予受理")
        MERGED = "merged", _("已合并")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="demands")
    zone = models.ForeignKey("zones.Zone", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "zones.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("诉求标题"), max_length=120)
    problem = models.TextField(_("遇到的问题"))
    blocker = models.TextField(_("造成阻碍的流程或规定"))
    industry = models.CharField(_("所属行业"), max_length=50)
    change = models.TextField(_("希望的改革"))
    benchmark = models.TextField(_("可对标的国际做法"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    reason = models.TextField(_("不予受理理由"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    innovation = models.ForeignKey(
        "reforms.Innovation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("转化的制度创新"),
    )
    public = models.BooleanField(_("答复公开"), default=False)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_note = models.CharField(_("评价意见"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    triaged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access = Rules(
        zone="zone__code",
        province="zone__province",
        area="area_id",
        published="public",
        creator="enterprise__user_id",
        roles=KEEP,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])


class DepartmentContact(models.Model):
    """A person who answers demands for a department of the zone's catalogue (责任单位)."""

    unit = models.ForeignKey(
        "reforms.ResponsibleUnit", on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    access = Rules(
        zone="unit__zone__code",
        province="unit__zone__province",
        creator="user_id",
        roles=KEEP,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="department_contact_unique")
        ]
        verbose_name = _("部门联系人")
        verbose_name_plural = _("部门联系人")

    def __str__(self) -> str:
        return f"{self.unit} · {self.user}"


class Assignment(models.Model):
    """A department asked to answer a demand by a deadline; its contact may answer it."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        ANSWERED = "answered", _("已答复")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("reforms.ResponsibleUnit", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("办理时限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access = Rules(
        zone="demand__zone__code",
        province="demand__zone__province",
        area="demand__area_id",
        creator="contact_id",
        roles=KEEP,
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "unit"], name="assignment_unique_unit")
        ]
        verbose_name = _("交办")
        verbose_name_plural = _("交办")

    def __str__(self) -> str:
        return f"{self.demand} → {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("demands:assignment", args=[self.pk])


class AuthorityRequest(models.Model):
    """A request for powers (事权) the zone lacks, taken up to the province or the nation."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省级")
        NATIONAL = "national", _("国家")

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        GRANTED = "granted", _("同意")
        PARTLY = "partly", _("部分同意")
        REFUSED = "refused", _("不同意")

    zone = models.ForeignKey("zones.Zone", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        "zones.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    demand = models.ForeignKey(
        Demand, on_delete=models.SET_NULL, null=True, blank=True, related_name="authority_requests"
    )
    innovation = models.ForeignKey(
        "reforms.Innovation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authority_requests",
    )
    level = models.CharField(_("报请层级"), max_length=20, choices=Level.choices)
    domain = models.ForeignKey(
        "vocab.Domain", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    power = models.CharField(_("所需事权"), max_length=200)
    request = models.TextField(_("请求内容"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("报请时间"), auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access = Rules(
        zone="zone__code",
        province="zone__province",
        area="area_id",
        roles={**KEEP, Action.REVIEW: HIGHER_OFFICES},
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("事权请求")
        verbose_name_plural = _("事权请求")

    def __str__(self) -> str:
        return self.power

    def get_absolute_url(self) -> str:
        return reverse("demands:authority", args=[self.pk])


class DemandStep(models.Model):
    """One step of a demand's path as its submitter reads it (状态记录): the full before/after
    of each write is in the audit log, which offices read."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("状态"), max_length=20, choices=Demand.Status.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")

    def __str__(self) -> str:
        return f"{self.demand} · {self.get_status_display()}"


class RegistrationAttempt(models.Model):
    """One self-registration attempt, kept an hour to hold each client address to its hourly
    allowance. The address is stored as a keyed hash, never as it came."""

    address = models.CharField(_("地址摘要"), max_length=64, db_index=True)
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("注册尝试")
        verbose_name_plural = _("注册尝试")

    def __str__(self) -> str:
        return f"{self.address[:8]} · {self.at:%Y-%m-%d %H:%M}"


class AssignmentAlert(models.Model):
    """A reminder already sent for an assignment at a threshold and deadline: the daily check
    sends each once, and a new deadline arms them again."""

    class Threshold(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("逾期")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="alerts")
    threshold = models.CharField(_("阈值"), max_length=10, choices=Threshold.choices)
    due_date = models.DateField(_("办理时限"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "threshold", "due_date"], name="assignment_alert_once"
            )
        ]
        verbose_name = _("交办提醒")
        verbose_name_plural = _("交办提醒")

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_threshold_display()}"
