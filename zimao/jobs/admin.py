from django.contrib import admin
from django.http import HttpRequest

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    """Read-only: jobs are started and retried from the jobs page, where it is audited."""

    list_display = ("pk", "kind", "state", "done", "total", "created_by", "created_at")
    list_filter = ("state", "kind")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False
