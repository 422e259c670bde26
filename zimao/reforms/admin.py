from django.contrib import admin

from zimao.audit.admin_mixins import AuditedAdmin
from zimao.vocab.models import Domain

from .models import Criterion, Effect, Innovation, PilotTask


@admin.register(Domain)
class DomainAdmin(AuditedAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]


class EffectInline(admin.TabularInline[Effect, Innovation]):
    model = Effect
    extra = 0


@admin.register(Innovation)
class InnovationAdmin(AuditedAdmin):
    list_display = ["title", "zone", "domain", "created_at"]
    list_filter = ["zone", "domain"]
    search_fields = ["title", "mechanism"]
    inlines = [EffectInline]
    filter_horizontal = ["documents"]


@admin.register(PilotTask)
class PilotTaskAdmin(AuditedAdmin):
    list_display = ["number", "plan", "status", "domain"]
    list_filter = ["status", "domain", "plan__zone"]
    search_fields = ["number", "text", "units__name"]
    filter_horizontal = ["documents"]


@admin.register(Criterion)
class CriterionAdmin(AuditedAdmin):
    list_display = ["code", "name_zh", "weight", "position", "active"]
    list_editable = ["weight", "position", "active"]
