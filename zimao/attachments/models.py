"""Files attached to a pilot task, an adoption, an innovation or an enterprise demand.

One abstract record with three concrete tables, so that each table's access rules are those
of the record it hangs on (the access layer reads one path per rule): whoever may read a task,
an adoption or an innovation may read its files, and whoever may edit it may add or remove
them. The bytes are kept once per content under var/ (see services.py).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import DEFAULT_ROLES, OFFICES, Action, Rules


class Attachment(models.Model):
    """An attached file: its name as uploaded (cleaned), its hash, size and sniffed kind."""

    name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("内容摘要"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    kind = models.CharField(_("类型"), max_length=10)
    file = models.CharField(_("存储位置"), max_length=200)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    KIND_NAME = ""  # the URL word of the record type: task, adoption, innovation

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(f"attachments:{self.KIND_NAME}_file", args=[self.pk])

    @property
    def record(self) -> models.Model:
        return self.target  # type: ignore[attr-defined, no-any-return]


class TaskAttachment(Attachment):
    target = models.ForeignKey(
        "reforms.PilotTask", on_delete=models.CASCADE, related_name="attachments"
    )
    KIND_NAME = "task"
    access = Rules(
        zone="target__plan__zone__code",
        province="target__plan__zone__province",
        area="target__area_id",
        published=True,
    )

    class Meta(Attachment.Meta):
        verbose_name = _("任务附件")
        verbose_name_plural = _("任务附件")


class AdoptionAttachment(Attachment):
    target = models.ForeignKey(
        "replication.Adoption", on_delete=models.CASCADE, related_name="attachments"
    )
    KIND_NAME = "adoption"
    access = Rules(
        zone="target__zone__code",
        province="target__zone__province",
        area="target__area_id",
        published=True,
    )

    class Meta(Attachment.Meta):
        verbose_name = _("落地情况附件")
        verbose_name_plural = _("落地情况附件")


class InnovationAttachment(Attachment):
    target = models.ForeignKey(
        "reforms.Innovation", on_delete=models.CASCADE, related_name="attachments"
    )
    KIND_NAME = "innovation"
    access = Rules(
        zone="target__zone__code",
        province="target__zone__province",
        area="target__area_id",
        published="target__published",
    )

    class Meta(Attachment.Meta):
        verbose_name = _("创新成果附件")
        verbose_name_plural = _("创新成果附件")


class DemandAttachment(Attachment):
    """Evidence of an enterprise demand: the enterprise and the offices of its scope read it,
    never the public (even when the answer is published)."""

    target = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="files")
    KIND_NAME = "demand"
    access = Rules(
        zone="target__zone__code",
        province="target__zone__province",
        area="target__area_id",
        creator="target__enterprise__user_id",
        roles={**DEFAULT_ROLES, Action.VIEW: OFFICES},
    )

    class Meta(Attachment.Meta):
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")


MODELS: dict[str, type[Attachment]] = {
    "task": TaskAttachment,
    "adoption": AdoptionAttachment,
    "innovation": InnovationAttachment,
    "demand": DemandAttachment,
}
