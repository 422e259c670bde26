from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReplicationConfig(AppConfig):
    name = "zimao.replication"
    verbose_name = _("复制推广")
