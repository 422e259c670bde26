from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from zimao.audit.admin_mixins import AuditedAdmin

from .models import Membership, User


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    """Account changes (making someone staff or superuser, deactivating) are audited too."""


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "province", "zone", "area"]
    list_filter = ["role", "zone"]
    search_fields = ["user__username", "province"]
    autocomplete_fields = ["user"]
