from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Custom from day one so roles and scopes can be added without a painful swap later."""

    display_name = models.CharField(_("显示名称"), max_length=100, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    NATIONAL = "national", _("国家层面管理员")
    PROVINCIAL = "provincial", _("省级自贸办")
    ZONE = "zone", _("自贸试验区工作机构")
    AREA = "area", _("片区管委会")
    RESEARCHER = "researcher", _("研究人员")


class Membership(models.Model):
    """A role held over a scope: the nation, a province, a zone or an area.

    A user may hold several; a user with none (or no account) is the public.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "zones.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self) -> str:
        scope = self.area or self.zone or self.province or _("全国")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        needs = {
            Role.PROVINCIAL: bool(self.province) and not self.zone_id and not self.area_id,
            Role.ZONE: bool(self.zone_id) and not self.area_id,
            Role.AREA: bool(self.area_id),
            Role.NATIONAL: not (self.province or self.zone_id or self.area_id),
            Role.RESEARCHER: not (self.province or self.zone_id or self.area_id),
        }
        if not needs[Role(self.role)]:
            raise ValidationError(_("角色与范围不匹配：省级填省份，试验区填试验区，片区填片区。"))


class Notification(models.Model):
    """Something a user must act on or know about, shown in the app."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # "review": asks for a decision and is closed by it; "": for information.
    kind = models.CharField(_("类别"), max_length=20, blank=True, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.text
