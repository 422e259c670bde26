from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zimao.documents"
    verbose_name = _("文档")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  registers the ingestion job with the jobs app
