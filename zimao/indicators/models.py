from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Rules
from zimao.accounts.models import Role
from zimao.lib.i18n import localized
from zimao.lib.models import PartialDateField, Sourced
from zimao.zones.models import Area, Zone


class Indicator(models.Model):
    """What is measured (进出口总额, 实际使用外资, …), in which unit, and which way is better
    (a report names a gap only where the subject is behind in that direction)."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")
        NEUTRAL = "neutral", _("无优劣之分")

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    definition = models.TextField(_("定义"), blank=True)
    source = models.TextField(_("来源"))
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized(self, "name")


class Provenance(models.TextChoices):
    """Where a figure comes from; what a reader may do with it depends on it."""

    OFFICIAL = "official", _("官方公开来源核实")
    DERIVED = "derived", _("由核实数据推算")
    OFFICE = "office", _("机构导入（未经公开来源核实）")
    EXTRACTED = "extracted", _("文档抽取（待核实）")
    SAMPLE = "sample", _("样例（虚构，仅供演示）")
    COMPUTED = "computed", _("由本平台诉求记录计算（非官方统计）")


class ObservationConfidence(models.TextChoices):
    """The confidence letters of a figure; only public-source facts are V or D."""

    VERIFIED = "V", _("公开来源核实")
    DERIVED = "D", _("由核实数据推算")
    REPORTED = "R", _("机构报送，未经公开来源核实")
    EXTRACTED = "E", _("文档抽取，待核实")
    SAMPLE = "S", _("样例，虚构")
    COMPUTED = "C", _("本平台记录计算，非官方统计")


# provenance -> confidence letter; official and derived follow the letter instead
CONFIDENCE_OF = {
    Provenance.OFFICIAL: ObservationConfidence.VERIFIED,
    Provenance.DERIVED: ObservationConfidence.DERIVED,
    Provenance.OFFICE: ObservationConfidence.REPORTED,
    Provenance.EXTRACTED: ObservationConfidence.EXTRACTED,
    Provenance.SAMPLE: ObservationConfidence.SAMPLE,
    Provenance.COMPUTED: ObservationConfidence.COMPUTED,
}
SAMPLE_MARK = _("样例")


class Observation(Sourced):
    """One value of an indicator for a subject and period, as one source states it."""

    class SubjectKind(models.TextChoices):
        NATION = "nation", _("全国")
        FTZ_ALL = "ftz_all", _("全部自贸试验区")
        ZONE = "zone", _("自贸试验区")
        AREA = "area", _("片区")
        PILOT_AREA = "pilot_area", _("协同改革先行区")
        PILOT_AREAS = "pilot_areas", _("协同改革先行区合计")
        PROVINCE = "province", _("省份")
        CITY = "city", _("城市")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    subject_kind = models.CharField(_("对象类型"), max_length=20, choices=SubjectKind.choices)
    subject = models.CharField(_("对象"), max_length=100, blank=True)
    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="observations"
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="observations"
    )
    period = models.CharField(_("时期"), max_length=20)
    # Unknown (redacted, not published) is NULL with a flag, never 0.
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    original_value = models.DecimalField(
        _("原始数值"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    original_unit = models.CharField(_("原始单位"), max_length=30, blank=True)
    exchange_rate = models.DecimalField(
        _("汇率"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    exchange_rate_source = models.TextField(_("汇率来源"), blank=True)
    zones_count = models.PositiveSmallIntegerField(_("自贸试验区个数"), null=True, blank=True)
    confidence = models.CharField(
        _("可信度"),
        max_length=1,
        choices=ObservationConfidence.choices,
        default=ObservationConfidence.VERIFIED,
    )
    # Reference rows are official (V) or derived (D) from their confidence; an office's import
    # is "office", a sample file "sample": a sample figure is never shown as a fact.
    provenance = models.CharField(
        _("数据性质"), max_length=12, choices=Provenance.choices, default=Provenance.OFFICIAL
    )
    preferred = models.BooleanField(_("采用值"), default=True)
    preferred_reason = models.TextField(_("采用理由"), blank=True)
    flags = models.CharField(_("标记"), max_length=100, blank=True)
    # The province whose office answers for the figure: the zone's, or the subject's own for a
    # province (which has no zone), so the access rules find it with one ORM path.
    province = models.CharField(_("省份"), max_length=20, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)  # optimistic locking

    # Figures are public; the office of the subject's area, zone or province changes them.
    access = Rules(zone="zone__code", province="province", area="area_id", published=True)

    class Meta:
        ordering = ["indicator", "period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "subject_kind", "subject", "period", "source"],
                name="observation_unique_source",
            )
        ]
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")

    def __str__(self) -> str:
        return f"{self.indicator} {self.subject or self.get_subject_kind_display()} {self.period}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the confidence letter and the provenance in step: a reference row's letter
        (V/D) decides official or derived; any other provenance decides the letter."""
        if self.provenance in (Provenance.OFFICIAL, Provenance.DERIVED):
            derived = self.confidence == ObservationConfidence.DERIVED
            self.provenance = Provenance.DERIVED if derived else Provenance.OFFICIAL
        self.confidence = CONFIDENCE_OF[Provenance(self.provenance)]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "provenance", "confidence"}
        super().save(*args, **kwargs)

    @property
    def is_sample(self) -> bool:
        return self.provenance == Provenance.SAMPLE

    @property
    def is_computed(self) -> bool:
        """Computed from the platform's own records (enterprise demands), not a statistic."""
        return self.provenance == Provenance.COMPUTED

    @property
    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(";") if f]

    @property
    def is_unknown(self) -> bool:
        return self.value is None


class NegativeList(Sourced):
    """A version of a foreign-investment negative list and how many measures it had."""

    class Scope(models.TextChoices):
        FTZ = "ftz", _("自贸试验区版")
        NATIONAL = "national", _("全国版")
        HAINAN_FTP = "hainan_ftp", _("海南自由贸易港版")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    scope = models.CharField(_("适用范围"), max_length=20, choices=Scope.choices)
    year = models.PositiveSmallIntegerField(_("版本年份"))
    issuer = models.CharField(_("发布机关"), max_length=150, blank=True)
    doc_no = models.CharField(_("文号"), max_length=80, blank=True)
    issue_date = PartialDateField(_("发布日期"))
    effective_date = PartialDateField(_("施行日期"))
    measures = models.PositiveSmallIntegerField(_("特别管理措施条数"), null=True, blank=True)

    class Meta:
        ordering = ["scope", "year"]
        verbose_name = _("负面清单版本")
        verbose_name_plural = _("负面清单版本")

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.year}"


class IndexVersion(models.Model):
    """One saved definition of the composite index; every save is a new version, none is
    overwritten, so any published score can be recomputed."""

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    definition = models.JSONField(_("定义"))
    note = models.TextField(_("修改说明"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    # A national definition: everyone reads it, only the national office saves a new version.
    access = Rules(
        published=True,
        roles={Action.CREATE: frozenset({Role.NATIONAL}), Action.EDIT: frozenset({Role.NATIONAL})},
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("综合指数版本")
        verbose_name_plural = _("综合指数版本")

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"
