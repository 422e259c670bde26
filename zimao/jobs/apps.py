from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "zimao.jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from .schedule import register_kinds

        register_kinds()
