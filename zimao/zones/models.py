from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.lib.i18n import is_english, localized
from zimao.lib.models import PartialDateField, Sourced


class Zone(Sourced):
    """A pilot free trade zone (自由贸易试验区) approved by the State Council."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("全称"), max_length=100)
    short_name_zh = models.CharField(_("简称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    province = models.CharField(_("省份"), max_length=20)
    batch = models.PositiveSmallIntegerField(_("批次"))
    approval_date = PartialDateField(_("批复日期"))
    inauguration_date = PartialDateField(_("挂牌日期"))
    planned_area_km2 = models.DecimalField(
        _("规划面积（平方公里）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    plan_doc_no = models.CharField(_("总体方案文号"), max_length=50, blank=True)
    positioning = models.TextField(_("战略定位"), blank=True)
    key_industries = models.TextField(_("重点产业"), blank=True)

    class Meta:
        ordering = ["batch", "approval_date", "id"]
        verbose_name = _("自贸试验区")
        verbose_name_plural = _("自贸试验区")

    def __str__(self) -> str:
        return self.short_name_zh

    def get_absolute_url(self) -> str:
        return reverse("zones:detail", args=[self.code])

    @property
    def name(self) -> str:
        """Short name for lists: the English name in English, else 上海自贸试验区-style."""
        return self.name_en if is_english() and self.name_en else self.short_name_zh

    @property
    def industries(self) -> list[str]:
        return [s.strip() for s in self.key_industries.split("；") if s.strip()]


class Area(Sourced):
    """A 片区 of a zone; special areas such as 临港新片区 carry a flag."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="areas")
    name_zh = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    city = models.CharField(_("城市"), max_length=50, blank=True)
    area_km2 = models.DecimalField(
        _("面积（平方公里）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    is_special = models.BooleanField(_("特殊片区"), default=False)
    # How the row enters the official 片区 tally (see zones.selectors.official_area_tally).
    official_count = models.PositiveSmallIntegerField(_("计入官方片区数"), default=1)
    official_group = models.CharField(_("官方计数所属片区"), max_length=100, blank=True)

    class Meta:
        ordering = ["zone", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name_zh"], name="area_unique_name")]
        verbose_name = _("片区")
        verbose_name_plural = _("片区")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized(self, "name")


class PilotArea(Sourced):
    """A city or district linked to a zone (协同改革先行区 / 联动创新区)."""

    class Kind(models.TextChoices):
        COORDINATED_REFORM = "coordinated_reform", _("协同改革先行区")
        LINKED_INNOVATION = "linked_innovation", _("联动创新区")

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="pilot_areas")
    name_zh = models.CharField(_("名称"), max_length=100)
    city = models.CharField(_("城市"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    established = PartialDateField(_("设立时间"))

    class Meta:
        ordering = ["zone", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name_zh"], name="pilot_area_unique_name")
        ]
        verbose_name = _("协同改革先行区")
        verbose_name_plural = _("协同改革先行区")

    def __str__(self) -> str:
        return self.name_zh


class Plan(Sourced):
    """A State Council plan for a zone (总体方案, 深化方案, …); pilot tasks hang off it."""

    class Kind(models.TextChoices):
        OVERALL = "overall", _("总体方案")
        DEEPENING = "deepening", _("深化改革开放方案")
        EXPANSION = "expansion", _("扩展区域方案")
        SPECIAL_AREA = "special_area", _("新片区总体方案")
        ALIGNMENT = "alignment", _("对接国际高标准经贸规则试点措施")
        OTHER = "other", _("其他")

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    doc_no = models.CharField(_("文号"), max_length=50, blank=True)
    issue_date = PartialDateField(_("印发日期"))
    published_date = PartialDateField(_("公布日期"))

    class Meta:
        ordering = ["zone", "issue_date", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "title"], name="plan_unique_title")]
        verbose_name = _("方案")
        verbose_name_plural = _("方案")

    def __str__(self) -> str:
        return self.title
