from django.db import models
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Rules


class SearchEntry(models.Model):
    """One searchable unit (an innovation, a replication item, a document, a passage).

    `tokens` holds the search-mode segmentation of title and body; the backend's full-text
    index is built on it (SQLite: an FTS5 table kept in step by triggers; PostgreSQL: a
    generated tsvector column), so both backends see exactly the same words.
    """

    class Kind(models.TextChoices):
        INNOVATION = "innovation", _("制度创新成果")
        ITEM = "item", _("复制推广事项")
        TASK = "task", _("试点任务")
        DOCUMENT = "document", _("文档")
        PASSAGE = "passage", _("文档段落")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    object_id = models.CharField(_("对象"), max_length=64)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    url = models.CharField(_("链接"), max_length=300)
    zone = models.CharField(_("自贸试验区"), max_length=40, blank=True, db_index=True)
    area = models.CharField(_("片区"), max_length=100, blank=True)
    domain = models.CharField(_("领域"), max_length=40, blank=True)
    batch = models.CharField(_("批次"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    offset = models.PositiveIntegerField(_("在文档中的位置"), default=0)
    tokens = models.TextField(_("分词"))
    # Who may find the entry: everyone, every member, or the owning scope only.
    public = models.BooleanField(_("公开"), default=True)
    members_only = models.BooleanField(_("仅限成员"), default=False)
    owner_zone = models.CharField(max_length=40, blank=True)
    owner_province = models.CharField(max_length=20, blank=True)
    owner_area = models.IntegerField(null=True, blank=True)

    access = Rules(
        zone="owner_zone",
        province="owner_province",
        area="owner_area",
        published="public",
        members="members_only",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")
        ]
        indexes = [models.Index(fields=["kind", "zone"])]
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
