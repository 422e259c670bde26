from django.contrib import admin

from zimao.audit.admin_mixins import AuditedAdmin

from .models import DepartmentContact, Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ["name", "credit_code", "zone", "area", "verified_at"]
    list_filter = ["zone"]
    search_fields = ["name", "credit_code"]


@admin.register(DepartmentContact)
class DepartmentContactAdmin(AuditedAdmin):
    """Who answers demands for a department: the administrator makes the department's
    account and names it here."""

    list_display = ["unit", "user"]
    list_filter = ["unit__zone"]
    search_fields = ["unit__name", "user__username"]
    autocomplete_fields = ["user"]
