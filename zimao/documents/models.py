from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import EVERYONE, OFFICES, Action, Rules
from zimao.lib.labels import fact_type

# Every member reads documents and may add one; offices review their own scope's facts.
DOCUMENT_ROLES = {
    Action.VIEW: EVERYONE,
    Action.CREATE: EVERYONE,
    Action.EDIT: OFFICES,
    Action.REVIEW: OFFICES,
}


class Document(models.Model):
    """An ingested file: the original, its hash (one record per content), text and facts."""

    class Status(models.TextChoices):
        PROCESSED = "processed", _("已处理")
        FAILED = "failed", _("处理失败")

    title = models.CharField(_("标题"), max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=300)
    file = models.FileField(_("原文件"), upload_to="documents/", blank=True)
    sha256 = models.CharField(_("内容摘要"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    format = models.CharField(_("格式"), max_length=10, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    text = models.TextField(_("文本"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The office a document belongs to (its uploader's zone or area; none: national).
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "zones.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # What the document is about (zimao.documents.subject), which may differ from its owner
    # office above: zone codes, the evidence weighed, and whether a reviewer set them.
    class SubjectStatus(models.TextChoices):
        PENDING = "", _("未判定")
        AUTO = "auto", _("自动判定")
        REVIEWED = "reviewed", _("人工确认")

    subject_zones = models.JSONField(_("主题自贸试验区"), default=list, blank=True)
    subject_evidence = models.JSONField(_("主题依据"), default=list, blank=True)
    subject_status = models.CharField(
        _("主题判定方式"), max_length=10, choices=SubjectStatus.choices, default="", blank=True
    )
    subject_note = models.CharField(_("主题更正说明"), max_length=300, blank=True)

    access = Rules(
        zone="zone__code",
        province="zone__province",
        area="area_id",
        members=True,
        roles=DOCUMENT_ROLES,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="document_newest")]
        verbose_name = _("文档")
        verbose_name_plural = _("文档")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])


class Fact(models.Model):
    """A fact found in a document, pointing at the exact characters it came from."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采纳")
        CORRECTED = "corrected", _("已更正")
        REJECTED = "rejected", _("已驳回")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="facts")
    type = models.CharField(_("类型"), max_length=20, db_index=True)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    text = models.TextField(_("原文片段"))
    confidence = models.FloatField(_("置信度"))
    payload = models.JSONField(_("内容"), default=dict)
    state = models.CharField(
        _("审核状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    innovation = models.ForeignKey(
        "reforms.Innovation", on_delete=models.SET_NULL, null=True, blank=True, related_name="facts"
    )
    replication_item = models.ForeignKey(
        "replication.ReplicationItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facts",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    access = Rules(
        zone="document__zone__code",
        province="document__zone__province",
        area="document__area_id",
        members=True,
        roles=DOCUMENT_ROLES,
    )

    class Meta:
        ordering = ["document", "start", "id"]
        verbose_name = _("事实")
        verbose_name_plural = _("事实")

    def __str__(self) -> str:
        return f"{fact_type(self.type)}：{self.text[:30]}"
