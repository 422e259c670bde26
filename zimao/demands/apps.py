from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "zimao.demands"
    verbose_name = _("企业诉求")
