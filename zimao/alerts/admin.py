from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Read-only: what was sent where, how often it was tried, and why it failed."""

    list_display = ["created_at", "channel", "subject", "state", "attempts", "last_error"]
    list_filter = ["channel", "state"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
