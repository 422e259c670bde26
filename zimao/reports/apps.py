from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zimao.reports"
    verbose_name = _("报告")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  registers the report job with the jobs app
