from django.db import models
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Rules


class ReportDraft(models.Model):
    """A report being prepared: what it compares, and the narrative its author wrote.

    Figures are not stored here: they are recomputed from the observations at every export,
    so each number stays linked to the observation and source it came from.
    """

    class Kind(models.TextChoices):
        BENCHMARK = "benchmark", _("对标分析报告")
        ANNUAL = "annual", _("年度发展报告")
        PROGRESS = "progress", _("工作进展报告")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    subject = models.CharField(_("分析对象"), max_length=120)  # "area:南沙片区", "zone:shanghai"
    peers = models.JSONField(_("对标对象"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    # A progress report's month or quarter ("2025-11", "2025-Q4"); blank for the other kinds.
    period = models.CharField(_("报告期"), max_length=10, blank=True)
    # Made by the monthly schedule (one per subject and period), not by a person.
    scheduled = models.BooleanField(_("定期生成"), default=False)
    index_version = models.ForeignKey(
        "indicators.IndexVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("综合指数版本"),
    )
    sections = models.JSONField(_("文字部分"), default=dict, blank=True)
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "zones.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The subject's province (a province report has no zone), for the access rules.
    province = models.CharField(_("省份"), max_length=20, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)  # optimistic locking
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # Written by the office of the report's subject (or above); drafts are internal.
    access = Rules(zone="zone__code", province="province", area="area_id")

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "period"],
                condition=models.Q(scheduled=True),
                name="report_draft_one_scheduled_per_period",
            )
        ]
        verbose_name = _("报告草稿")
        verbose_name_plural = _("报告草稿")

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        """2025年11月, 2025年第四季度; the year for reports that cover one."""
        from zimao.indicators.periods import PeriodError, parse_period

        try:
            return parse_period(self.period).label if self.period else f"{self.year}年"
        except PeriodError:
            return self.period
