from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "zimao.opendata"
    verbose_name = _("开放数据")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  registers the export job with the jobs app
