from django.apps import AppConfig


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zimao.alerts"
    verbose_name = "提醒推送"
