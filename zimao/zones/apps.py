from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZonesConfig(AppConfig):
    name = "zimao.zones"
    verbose_name = _("自贸试验区")
