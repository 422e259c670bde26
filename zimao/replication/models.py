from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Rules
from zimao.accounts.models import Role
from zimao.lib.models import PartialDateField, Sourced
from zimao.vocab.models import Domain
from zimao.zones.models import Zone


class ReplicationBatch(Sourced):
    """An official batch of experiences or cases to replicate (复制推广)."""

    class Kind(models.TextChoices):
        SC_EXPERIENCE = "sc_experience", _("国务院改革试点经验")
        BEST_PRACTICE = "best_practice", _("最佳实践案例")
        MINISTRY = "ministry", _("部门自行复制推广")
        PROVINCIAL = "provincial", _("省级复制推广")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("批次"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    issue_date = PartialDateField(_("印发日期"))
    doc_no = models.CharField(_("文号"), max_length=50, blank=True)
    issuer = models.CharField(_("发布机关"), max_length=100, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    item_count = models.PositiveSmallIntegerField(_("事项数"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "number", "year", "code"]
        verbose_name = _("复制推广批次")
        verbose_name_plural = _("复制推广批次")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("replication:batch", args=[self.code])

    @property
    def label(self) -> str:
        """Return a human label such as 第五批 国务院改革试点经验 (2019)."""
        number = _("第%(n)s批") % {"n": self.number} if self.number else ""
        year = f" ({self.year})" if self.year else ""
        return f"{number} {self.get_kind_display()}{year}".strip()


class BatchCount(Sourced):
    """One source's count of a batch's items; conflicting counts are kept side by side."""

    batch = models.ForeignKey(ReplicationBatch, on_delete=models.CASCADE, related_name="counts")
    item_count = models.PositiveSmallIntegerField(_("事项数"))
    preferred = models.BooleanField(_("采用值"), default=False)

    class Meta:
        ordering = ["batch", "-preferred", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "source"], name="batch_count_unique_source")
        ]
        verbose_name = _("批次事项数（来源）")
        verbose_name_plural = _("批次事项数（来源）")

    def __str__(self) -> str:
        return f"{self.batch.code}: {self.item_count}"


class ReplicationItem(models.Model):
    """One experience or case in a batch, with who is responsible and where it applies."""

    class ScopeKind(models.TextChoices):
        NATIONWIDE = "nationwide", _("全国")
        FTZ = "ftz", _("自贸试验区")
        SPECIAL_AREAS = "special_areas", _("海关特殊监管区域")
        PROVINCES = "provinces", _("部分省份")

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    batch = models.ForeignKey(ReplicationBatch, on_delete=models.PROTECT, related_name="items")
    seq = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("改革事项"), max_length=300)
    category_zh = models.CharField(_("分类"), max_length=100, blank=True)
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    responsible_unit = models.CharField(_("负责单位"), max_length=200, blank=True)
    scope_kind = models.CharField(_("推广范围类型"), max_length=20, choices=ScopeKind.choices)
    scope = models.TextField(_("推广范围"), blank=True)
    origin_zones = models.ManyToManyField(
        Zone, blank=True, related_name="originated_items", verbose_name=_("首创自贸试验区")
    )
    source = models.TextField(_("来源"))
    note = models.TextField(_("备注"), blank=True)
    # Editorial, not official text (zimao/data/replication_item_terms.csv): what the item does in
    # plain words and the everyday words people use for it, so search finds it by them.
    description = models.TextField(_("通俗说明（编辑整理）"), blank=True)
    everyday_terms = models.TextField(_("常用说法（编辑整理）"), blank=True)
    terms_source = models.TextField(_("说明与常用说法的来源"), blank=True)
    # Changed in the app by the national office: a later reference load leaves them alone.
    terms_edited = models.BooleanField(_("说明与常用说法已在系统中修改"), default=False)

    # National records: everyone reads them, only the national office changes them.
    access = Rules(
        published=True,
        roles={Action.CREATE: frozenset({Role.NATIONAL}), Action.EDIT: frozenset({Role.NATIONAL})},
    )

    class Meta:
        ordering = ["batch", "code"]
        verbose_name = _("复制推广事项")
        verbose_name_plural = _("复制推广事项")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("replication:item", args=[self.code])


class Adoption(models.Model):
    """Whether a zone (or one of its areas) has put a replication item in place."""

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("已落地")
        IN_PROGRESS = "in_progress", _("推进中")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    item = models.ForeignKey(ReplicationItem, on_delete=models.CASCADE, related_name="adoptions")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="adoptions")
    area = models.ForeignKey(
        "zones.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="adoptions"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    date = PartialDateField(_("日期"))
    evidence = models.TextField(_("佐证"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    access = Rules(zone="zone__code", province="zone__province", area="area_id", published=True)

    class Meta:
        ordering = ["item", "zone", "id"]
        constraints = [  # one row per item and zone, and per item and area
            models.UniqueConstraint(
                fields=["item", "zone"], condition=models.Q(area=None), name="adoption_zone_unique"
            ),
            models.UniqueConstraint(
                fields=["item", "area"], condition=~models.Q(area=None), name="adoption_area_unique"
            ),
        ]
        verbose_name = _("复制推广落地情况")
        verbose_name_plural = _("复制推广落地情况")

    def __str__(self) -> str:
        return f"{self.item.title} · {self.zone.name}"
