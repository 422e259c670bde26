from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from zimao.accounts.models import Membership, User

from .admin_mixins import AuditedAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: audit events cannot be edited or deleted through the app."""

    list_display = ["at", "actor", "action", "record_type", "record_id"]
    list_filter = ["action", "record_type", "actor"]
    date_hierarchy = "at"
    search_fields = ["record_id", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    """Account changes (making someone staff or superuser, deactivating) are audited too."""


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "province", "zone", "area"]
    list_filter = ["role", "zone"]
    search_fields = ["user__username", "province"]
    autocomplete_fields = ["user"]
