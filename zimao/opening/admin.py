from django.contrib import admin

from zimao.audit.admin_mixins import AuditedAdmin

from .models import Edition, Measure, Sector


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ["code", "name_zh", "division_from", "division_to"]


@admin.register(Edition)
class EditionAdmin(AuditedAdmin):
    list_display = ["code", "family", "scope", "year", "effective_date", "measures", "status"]
    list_filter = ["family", "scope", "status"]
    search_fields = ["code", "title"]


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ["edition", "seq", "part", "topic", "sector", "kind", "confirmed"]
    list_filter = ["edition", "kind", "confirmed", "sector"]
    search_fields = ["topic", "text", "keywords"]
