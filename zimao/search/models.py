from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Rules

# Text after this mark in an entry's body is editorial (an item's plain-language description and
# everyday words), not official: shown with the mark, searched, left out of similarity scores.
EDITORIAL_MARK = "【编辑整理，非官方文本】"


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
    # Every zone the entry is about or names, space-separated with a space at each end
    # (" sichuan shandong "), so a zone filter also finds a passage naming several zones.
    zones = models.CharField(_("涉及的自贸试验区"), max_length=300, blank=True)
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


class SimilarEntry(models.Model):
    """`other` is among the entries most like `entry` (top `neighbours.TOP` by n-gram cosine).

    Kept in step after every (re)index, so pages read similar records instead of computing them;
    the rows go with either entry when it is deleted.
    """

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="neighbours")
    other = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("相似度"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "other"], name="similar_entry_unique")
        ]
        indexes = [models.Index(fields=["entry", "-score"]), models.Index(fields=["other"])]
        verbose_name = _("相似条目")
        verbose_name_plural = _("相似条目")

    def __str__(self) -> str:
        return f"{self.entry_id} ~ {self.other_id} ({self.score:.2f})"


class SimilarPending(models.Model):
    """An entry whose similar records wait for the background refresh (document passages: a
    document brings many at once, so they are scored together, after the commit, in batches)."""

    entry = models.OneToOneField(
        SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = _("待计算相似条目")
        verbose_name_plural = _("待计算相似条目")

    def __str__(self) -> str:
        return str(self.entry_id)


class SimilarityWeights(models.Model):
    """The n-gram document frequencies fitted at the last full reindex (one row): new entries
    are scored with them, never by refitting on their candidates."""

    documents = models.PositiveIntegerField(_("文本数"))
    df = models.BinaryField(_("文档频率"))
    fitted_at = models.DateTimeField(_("拟合时间"), auto_now=True)

    class Meta:
        verbose_name = _("相似度权重")
        verbose_name_plural = _("相似度权重")

    def __str__(self) -> str:
        return f"{self.documents} texts, {self.fitted_at:%Y-%m-%d %H:%M}"


class SavedSearch(models.Model):
    """A query a user keeps to run again (the query string of the search page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("名称"), max_length=100)
    query = models.CharField(_("检索条件"), max_length=500)
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    access = Rules(owner="user_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("保存的检索")
        verbose_name_plural = _("保存的检索")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('search:results')}?{self.query}"

    @staticmethod
    def readable(query: str) -> str:
        """The query string in words: 单一窗口 · 广东自贸试验区 · 制度创新成果."""
        from django.http import QueryDict

        from zimao.replication.models import ReplicationBatch
        from zimao.vocab.models import Domain
        from zimao.zones.models import Zone

        given = QueryDict(query)
        parts = [given.get("q", "")]
        lookups: list[tuple[str, Any]] = [
            ("zone", lambda v: Zone.objects.filter(code=v).first()),
            ("domain", lambda v: Domain.objects.filter(code=v).first()),
            ("batch", lambda v: ReplicationBatch.objects.filter(code=v).first()),
        ]
        for key, find in lookups:
            if given.get(key):
                found = find(given[key])
                parts.append(getattr(found, "name", None) or str(found) if found else "")
        if given.get("kind") in SearchEntry.Kind.values:
            parts.append(str(SearchEntry.Kind(given["kind"]).label))
        if given.get("year", "").isdigit():
            parts.append(given["year"])
        return " · ".join(p for p in parts if p)

    @classmethod
    def audit_value(cls, field: str, value: Any) -> str | None:
        return cls.readable(str(value)) if field == "query" else None
