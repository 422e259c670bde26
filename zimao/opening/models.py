"""Negative lists as data: each edition of each list family and every measure in it.

Public reference data: everyone reads it; only the national office (and the loader, as a
system actor) writes it, through the write helper.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Rules
from zimao.accounts.models import Role
from zimao.lib.models import PartialDateField, Sourced

NATIONAL_WRITES = Rules(
    published=True,
    roles={Action.CREATE: frozenset({Role.NATIONAL}), Action.EDIT: frozenset({Role.NATIONAL})},
)


class Sector(models.Model):
    """A 门类 of GB/T 4754 (A–T) and the range of 大类 codes (01–97) it holds."""

    code = models.CharField(_("门类代码"), max_length=1, unique=True)
    name_zh = models.CharField(_("门类名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    division_from = models.PositiveSmallIntegerField(_("起始大类"))
    division_to = models.PositiveSmallIntegerField(_("终止大类"))
    source = models.TextField(_("来源"))

    access = NATIONAL_WRITES

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业门类")
        verbose_name_plural = _("国民经济行业门类")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class Edition(Sourced):
    """One edition of a list: when it was in force, how many measures it published, and
    whether its measures are in the database (all, some, or none)."""

    class Family(models.TextChoices):
        FOREIGN_INVESTMENT = "foreign_investment", _("外商投资准入负面清单")
        CROSS_BORDER_SERVICES = "cross_border_services", _("跨境服务贸易负面清单")
        MARKET_ACCESS = "market_access", _("市场准入负面清单")

    class Scope(models.TextChoices):
        FTZ = "ftz", _("自贸试验区版")
        NATIONAL = "national", _("全国版")
        HAINAN_FTP = "hainan_ftp", _("海南自由贸易港版")

    class Status(models.TextChoices):
        COMPLETE = "complete", _("条目已全部载入")
        PARTIAL = "partial", _("条目部分载入")
        NOT_LOADED = "not_loaded", _("条目未载入")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    family = models.CharField(_("清单类别"), max_length=30, choices=Family.choices)
    scope = models.CharField(_("适用范围"), max_length=20, choices=Scope.choices)
    year = models.PositiveSmallIntegerField(_("版本年份"))
    title = models.CharField(_("名称"), max_length=200)
    effective_date = PartialDateField(_("施行日期"))
    superseded_date = PartialDateField(_("废止日期"))
    measures = models.PositiveSmallIntegerField(_("公布的措施条数"), null=True, blank=True)
    status = models.CharField(_("条目载入情况"), max_length=20, choices=Status.choices)
    explanation = models.TextField(_("说明"), blank=True)

    access = NATIONAL_WRITES

    class Meta:
        ordering = ["family", "scope", "year"]
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")

    def __str__(self) -> str:
        return self.title


class Measure(Sourced):
    """One special administrative measure (or one part of it, where a measure sets different
    conditions for different activities). `topic` pairs the same measure across editions."""

    class Kind(models.TextChoices):
        PROHIBITED = "prohibited", _("禁止")
        RESTRICTED = "restricted", _("限制")

    class Restriction(models.TextChoices):
        EQUITY_CAP = "equity_cap", _("外资股比限制")
        CHINESE_CONTROL = "chinese_control", _("须由中方控股")
        NATIONALITY = "nationality", _("高管国籍要求")
        APPROVAL = "approval", _("审批")
        OTHER = "other", _("其他限制")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="measure_set")
    seq = models.PositiveSmallIntegerField(_("序号"), null=True, blank=True)
    part = models.CharField(_("分项"), max_length=4, blank=True)
    topic = models.SlugField(_("事项代码"), max_length=60)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, verbose_name=_("门类"))
    text = models.TextField(_("措施原文"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    restrictions = models.CharField(_("限制方式"), max_length=120, blank=True)
    foreign_cap = models.DecimalField(
        _("外资股比上限（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    keywords = models.CharField(_("检索词"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("两个来源印证"), default=False)
    page = models.CharField(_("页码"), max_length=20, blank=True)

    access = Rules(
        published=True,
        roles={Action.CREATE: frozenset({Role.NATIONAL}), Action.EDIT: frozenset({Role.NATIONAL})},
    )

    class Meta:
        ordering = ["edition", "seq", "topic", "part"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "topic", "part"], name="measure_unique_part")
        ]
        verbose_name = _("特别管理措施")
        verbose_name_plural = _("特别管理措施")

    def __str__(self) -> str:
        number = f"{self.seq}" if self.seq else "—"
        return f"{self.edition.code} #{number}{self.part} {self.text[:30]}"

    @property
    def restriction_list(self) -> list[str]:
        return [r for r in self.restrictions.split(";") if r]

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split(";") if k]
