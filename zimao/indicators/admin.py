from django.contrib import admin

from .models import Indicator, NegativeList, Observation


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["code", "name_zh", "unit"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin[Observation]):
    list_display = ["indicator", "subject_kind", "subject", "period", "value", "unit", "preferred"]
    list_filter = ["indicator", "subject_kind", "preferred", "confidence"]
    search_fields = ["subject", "period", "source"]


@admin.register(NegativeList)
class NegativeListAdmin(admin.ModelAdmin[NegativeList]):
    list_display = ["code", "scope", "year", "doc_no", "effective_date", "measures"]
    list_filter = ["scope"]
    search_fields = ["code", "doc_no", "issuer"]
