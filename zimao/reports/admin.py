from django.contrib import admin

from zimao.audit.admin_mixins import AuditedAdmin

from .models import ReportDraft


@admin.register(ReportDraft)
class ReportDraftAdmin(AuditedAdmin):
    list_display = ["title", "kind", "subject", "year", "updated_at"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "subject"]
