from django.contrib import admin

from .models import ReferenceLoad


@admin.register(ReferenceLoad)
class ReferenceLoadAdmin(admin.ModelAdmin[ReferenceLoad]):
    list_display = ["loaded_at", "digest"]
    readonly_fields = ["loaded_at", "digest", "counts"]
