from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceLoad(models.Model):
    """One successful load of the reference dataset; its digest makes reloading a no-op."""

    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    digest = models.CharField(_("数据摘要"), max_length=64)
    counts = models.JSONField(_("各文件行数"), default=dict)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("参考数据载入记录")
        verbose_name_plural = _("参考数据载入记录")

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.digest[:12]}"
