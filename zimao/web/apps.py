from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zimao.lib import pagecache
from zimao.lib.signals import record_changed


class WebConfig(AppConfig):
    name = "zimao.web"
    verbose_name = _("界面")

    def ready(self) -> None:
        from zimao.web import checks, jobs  # noqa: F401  (deploy checks; the table export job)

        # Every change, delete included, reaches the cache through the write path (services,
        # admin, loaders all send record_changed); no post_save/post_delete receiver, which
        # would also turn Django's bulk deletes into row-by-row deletes.
        record_changed.connect(pagecache.changed, dispatch_uid="zimao-pages-changed")
