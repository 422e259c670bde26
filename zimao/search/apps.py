from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "zimao.search"
    verbose_name = _("检索")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from zimao.lib.dbstats import after_migrate

        from . import checks, jobs, signals  # noqa: F401  backend check; index in step; reindex job

        # Statistics once all apps have migrated (the search app migrates late).
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="zimao-analyze")
