from django.contrib import admin

from zimao.audit.admin_mixins import AuditedAdmin

from .models import Area, PilotArea, Plan, Zone


class AreaInline(admin.TabularInline[Area, Zone]):
    model = Area
    extra = 0


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = [
        "code",
        "short_name_zh",
        "province",
        "batch",
        "approval_date",
        "planned_area_km2",
    ]
    list_filter = ["batch", "confidence"]
    search_fields = ["code", "name_zh", "short_name_zh", "name_en", "province"]
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name_zh", "zone", "city", "area_km2", "is_special"]
    list_filter = ["zone", "is_special"]
    search_fields = ["name_zh", "name_en", "city"]


@admin.register(PilotArea)
class PilotAreaAdmin(AuditedAdmin):
    list_display = ["name_zh", "zone", "city", "kind", "established"]
    list_filter = ["zone", "kind"]
    search_fields = ["name_zh", "city"]


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["title", "zone", "kind", "doc_no", "issue_date"]
    list_filter = ["kind", "zone"]
    search_fields = ["title", "doc_no"]
