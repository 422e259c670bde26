from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Rules
from zimao.accounts.models import Role


class AuditEvent(models.Model):
    """Who changed what, when, from what to what. Written by services, never edited."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作方"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=50)
    record_type = models.CharField(_("记录类型"), max_length=50, db_index=True)
    record_id = models.CharField(_("记录编号"), max_length=64, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # The scope of the record changed, copied at write time so the log filters like the records.
    zone = models.CharField(_("自贸试验区"), max_length=40, blank=True, db_index=True)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    area = models.IntegerField(_("片区"), null=True, blank=True)
    # A form's one-time token: the same submission sent twice creates one record.
    token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    access = Rules(
        zone="zone",
        province="province",
        area="area",
        roles={Action.VIEW: frozenset(Role)},
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.record_type}#{self.record_id}"


class PendingChange(models.Model):
    """A committed write whose after-commit work (search index, page cache) has not finished.

    Written in the write's own transaction and removed once that work succeeds, so a failure
    after the commit (a locked index, a full disk) is retried later instead of being lost or
    reported to the writer as an error."""

    record_type = models.CharField(max_length=50)
    record_id = models.CharField(max_length=64)
    deleted = models.BooleanField(default=False)
    # A deleted record's keys (attname → value): enough to rebuild a stand-in for it.
    state = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.record_type}#{self.record_id}"
