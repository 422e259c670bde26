from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpeningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zimao.opening"
    verbose_name = _("制度型开放")
