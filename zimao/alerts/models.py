"""Alerts that leave the app: each user's channels, the offices' group robots, and every
delivery attempt (what was sent where, how often it was tried, why it failed)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Rules
from zimao.accounts.models import Notification, Role, User

# An office configures its own group robot; the national office may help any office.
ROBOT_KEEPERS = frozenset({Role.NATIONAL, Role.PROVINCIAL, Role.ZONE, Role.AREA})


class Preference(models.Model):
    """One user's channels. Without a row: e-mail on (when the account has an address), the
    office's group robot on, each alert sent at once."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("即时发送")
        DIGEST = "digest", _("每日汇总")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="alert_preference")
    email = models.BooleanField(_("电子邮件"), default=True)
    webhook = models.BooleanField(_("企业微信 / 钉钉群"), default=True)
    mode = models.CharField(
        _("发送方式"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )

    access = Rules(owner="user_id")

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_mode_display()}"


class Webhook(models.Model):
    """An office's group robot (企业微信 or 钉钉): alerts to that office's people are posted to
    the group. Its scope is a province, a zone or an area, like a membership."""

    class Service(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    name = models.CharField(_("名称"), max_length=100)
    service = models.CharField(_("类型"), max_length=10, choices=Service.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "zones.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("启用"), default=True)

    access = Rules(
        zone="zone__code",
        province="province",
        area="area_id",
        roles={
            Action.VIEW: ROBOT_KEEPERS,
            Action.CREATE: ROBOT_KEEPERS,
            Action.EDIT: ROBOT_KEEPERS,
        },
    )

    class Meta:
        ordering = ["province", "zone", "area", "name", "id"]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One message to one e-mail address or one group robot, and how its sending went."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        WEBHOOK = "webhook", _("群机器人")

    class State(models.TextChoices):
        HELD = "held", _("待汇总")  # waits for the user's daily digest
        DIGESTED = "digested", _("已并入汇总")
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="parts"
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, db_index=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True, db_index=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # set on a daily digest: the day it gathers (one per user and day)
    digest_day = models.DateField(_("汇总日期"), null=True, blank=True)

    access = Rules(owner="user_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "digest_day"], name="one_digest_a_day")
        ]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.subject}"
