from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "zimao.search"
    verbose_name = _("检索")

    def ready(self) -> None:
        from . import checks, jobs, signals  # noqa: F401  backend check; index in step; reindex job
