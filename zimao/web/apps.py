from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from zimao.lib import pagecache
from zimao.lib.signals import record_changed


class WebConfig(AppConfig):
    name = "zimao.web"
    verbose_name = _("界面")

    def ready(self) -> None:
        from zimao.web import checks, jobs  # noqa: F401  (deploy checks; the table export job)

        # Not post_delete: a receiver for every model would stop Django's fast bulk deletes.
        # Deletes go through the write path, which sends record_changed.
        post_save.connect(stale_pages, dispatch_uid="zimao-pages-saved")
        record_changed.connect(stale_pages, dispatch_uid="zimao-pages-changed")


def stale_pages(sender: type[Model], **kwargs: Any) -> None:
    """Any committed change to shown data makes the cached anonymous pages stale."""
    meta = sender._meta
    if {meta.app_label, meta.label_lower} & settings.PAGE_CACHE_IGNORE:
        return
    pagecache.bump_after_commit()
