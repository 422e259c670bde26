from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zimao.web"
    verbose_name = _("界面")

    def ready(self) -> None:
        from zimao.web import checks, jobs  # noqa: F401  (deploy checks; the table export job)
