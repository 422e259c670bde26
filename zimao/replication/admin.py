from django.contrib import admin

from zimao.audit.admin_mixins import AuditedAdmin

from .models import BatchCount, ReplicationBatch, ReplicationItem


class BatchCountInline(admin.TabularInline[BatchCount, ReplicationBatch]):
    model = BatchCount
    extra = 0


@admin.register(ReplicationBatch)
class ReplicationBatchAdmin(AuditedAdmin):
    list_display = ["code", "kind", "number", "year", "doc_no", "item_count"]
    list_filter = ["kind", "year"]
    search_fields = ["code", "doc_no", "title", "issuer"]
    inlines = [BatchCountInline]


@admin.register(ReplicationItem)
class ReplicationItemAdmin(AuditedAdmin):
    list_display = ["code", "title", "batch", "domain", "responsible_unit", "scope_kind"]
    list_filter = ["batch", "domain", "scope_kind"]
    search_fields = ["code", "title", "responsible_unit", "scope"]
    filter_horizontal = ["origin_zones"]
