from django.contrib import admin

from .models import Criterion, Domain, Effect, Innovation, PilotTask


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin[Domain]):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]


class EffectInline(admin.TabularInline[Effect, Innovation]):
    model = Effect
    extra = 0


@admin.register(Innovation)
class InnovationAdmin(admin.ModelAdmin[Innovation]):
    list_display = ["title", "zone", "domain", "created_at"]
    list_filter = ["zone", "domain"]
    search_fields = ["title", "mechanism"]
    inlines = [EffectInline]


@admin.register(PilotTask)
class PilotTaskAdmin(admin.ModelAdmin[PilotTask]):
    list_display = ["number", "plan", "status", "domain"]
    list_filter = ["status", "domain", "plan__zone"]
    search_fields = ["number", "text", "responsible_units"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin[Criterion]):
    list_display = ["code", "name_zh", "weight", "position", "active"]
    list_editable = ["weight", "position", "active"]
