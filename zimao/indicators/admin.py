from django.contrib import admin

from zimao.audit.admin_mixins import AuditedAdmin

from .models import IndexVersion, Indicator, NegativeList, Observation


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["code", "name_zh", "unit", "direction"]
    list_filter = ["direction"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Observation)
class ObservationAdmin(AuditedAdmin):
    list_display = ["indicator", "subject_kind", "subject", "period", "value", "unit", "preferred"]
    list_filter = ["indicator", "subject_kind", "preferred", "confidence"]
    search_fields = ["subject", "period", "source"]


@admin.register(NegativeList)
class NegativeListAdmin(AuditedAdmin):
    list_display = ["code", "scope", "year", "doc_no", "effective_date", "measures"]
    list_filter = ["scope"]
    search_fields = ["code", "doc_no", "issuer"]


@admin.register(IndexVersion)
class IndexVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Saved versions are kept as they were: new ones come from the index page."""

    list_display = ["number", "name", "created_by", "created_at"]
    readonly_fields = ["number", "name", "definition", "note", "created_by", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
