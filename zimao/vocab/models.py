"""Vocabulary shared by several apps: the ground floor, importing no other app of the project.

Zones, reforms, replication, search and the reference loader all speak of reform domains; keeping
the taxonomy here lets their arrows run one way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zimao.lib.i18n import localized


class Domain(models.Model):
    """A field of reform (投资便利化, 贸易便利化, …). The taxonomy is data, not code."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    source = models.TextField(_("来源"))

    class Meta:
        db_table = "reforms_domain"  # created by the reforms app before the taxonomy moved here
        ordering = ["id"]
        verbose_name = _("改革领域")
        verbose_name_plural = _("改革领域")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized(self, "name")
