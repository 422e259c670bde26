"""Alignment measures (对接国际高标准经贸规则) and the stress-test record of the opening lists.

A batch of measures is public reference data (the national office writes it). Each measure
becomes a pilot task in each zone that must carry it out (`MeasureTask`), so progress, evidence
and the implementation rate are the pilot tasks' own. A `StressTest` ties a negative-list
measure opened in the FTZ list first to the records that tested it and to the national edition
that followed (试点在前、推广在后).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Rules
from zimao.accounts.models import Role
from zimao.lib.models import PartialDateField, Sourced

NATIONAL = frozenset({Role.NATIONAL})
NATIONAL_WRITES = Rules(published=True, roles={Action.CREATE: NATIONAL, Action.EDIT: NATIONAL})


class Batch(Sourced):
    """One batch of alignment measures (or a list of key tasks), and how many of them are
    loaded: all (`complete`), some (`partial`) or only the published count (`listed`)."""

    class Status(models.TextChoices):
        COMPLETE = "complete", _("措施已全部载入")
        PARTIAL = "partial", _("措施部分载入")
        LISTED = "listed", _("仅载入公布条数")  # no measure text in two public sources yet

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    doc_no = models.CharField(_("文号"), max_length=50, blank=True)
    issue_date = PartialDateField(_("印发日期"))
    published_date = PartialDateField(_("公布日期"))
    measures = models.PositiveSmallIntegerField(_("公布的措施条数"), null=True, blank=True)
    total_confirmed = models.BooleanField(_("条数经两个来源印证"), default=False)
    status = models.CharField(_("措施载入情况"), max_length=20, choices=Status.choices)
    rules = models.CharField(_("对标的国际经贸规则"), max_length=200, blank=True)
    plan_title = models.CharField(_("对应方案标题"), max_length=200)

    access = NATIONAL_WRITES

    class Meta:
        ordering = ["issue_date", "code"]
        verbose_name = _("对接措施批次")
        verbose_name_plural = _("对接措施批次")

    def __str__(self) -> str:
        return self.title


class AlignmentMeasure(Sourced):
    """One pilot measure of a batch: its field, the treaty provisions it aligns with (where
    the source names them) and the zones that must carry it out."""

    class Field(models.TextChoices):
        GOODS = "goods_trade", _("货物贸易")
        SERVICES = "services_trade", _("服务贸易")
        ENTRY = "business_entry", _("商务人员临时入境")
        DIGITAL = "digital_trade", _("数字贸易")
        ENVIRONMENT = "business_environment", _("营商环境")
        RISK = "risk_prevention", _("风险防控")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="measure_set")
    code = models.SlugField(_("代码"), max_length=60)
    number = models.PositiveSmallIntegerField(_("原文序号"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    field = models.CharField(_("领域"), max_length=30, choices=Field.choices)
    title = models.CharField(_("措施要点"), max_length=200)
    provisions = models.CharField(_("对标条款"), max_length=200, blank=True)
    zones = models.ManyToManyField(
        "zones.Zone", related_name="alignment_measures", verbose_name=_("试点地区")
    )
    zones_confirmed = models.BooleanField(_("适用范围经来源印证"), default=False)
    confirmed = models.BooleanField(_("两个来源印证"), default=False)

    access = NATIONAL_WRITES

    class Meta:
        ordering = ["batch", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "code"], name="alignment_measure_code")
        ]
        verbose_name = _("对接措施")
        verbose_name_plural = _("对接措施")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alignment:measure", args=[self.batch.code, self.code])


class MeasureTask(models.Model):
    """A measure in one zone: the pilot task that carries its status and evidence, and the
    innovations the zone drew from it."""

    measure = models.ForeignKey(AlignmentMeasure, on_delete=models.CASCADE, related_name="tasks")
    zone = models.ForeignKey("zones.Zone", on_delete=models.CASCADE, related_name="+")
    task = models.OneToOneField(
        "reforms.PilotTask", on_delete=models.CASCADE, related_name="alignment"
    )
    innovations = models.ManyToManyField(
        "reforms.Innovation", blank=True, related_name="alignment_tasks",
        verbose_name=_("由此形成的制度创新成果"),
    )  # fmt: skip

    # Public like the pilot tasks; the zone's office links its innovations.
    access = Rules(zone="zone__code", province="zone__province", published=True)

    class Meta:
        ordering = ["measure", "zone"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "zone"], name="measure_task_once_per_zone")
        ]
        verbose_name = _("对接措施试点任务")
        verbose_name_plural = _("对接措施试点任务")

    def __str__(self) -> str:
        return f"{self.measure} · {self.zone}"


class StressTest(models.Model):
    """A negative-list measure (by topic) opened in the FTZ list before the national one:
    the innovations and replication items that tested it, and the national edition in which
    the opening went nationwide (empty while it has not)."""

    topic = models.SlugField(_("事项代码"), max_length=60, unique=True)
    national_edition = models.ForeignKey(
        "opening.Edition", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("推广至全国的版本"),
    )  # fmt: skip
    innovations = models.ManyToManyField(
        "reforms.Innovation", blank=True, related_name="stress_tests",
        verbose_name=_("试点中的制度创新成果"),
    )  # fmt: skip
    items = models.ManyToManyField(
        "replication.ReplicationItem", blank=True, related_name="stress_tests",
        verbose_name=_("复制推广事项"),
    )  # fmt: skip
    summary = models.TextField(_("压力测试说明"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access = NATIONAL_WRITES

    class Meta:
        ordering = ["topic"]
        verbose_name = _("开放压力测试记录")
        verbose_name_plural = _("开放压力测试记录")

    def __str__(self) -> str:
        return self.topic
