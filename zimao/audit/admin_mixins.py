"""Changes made in the Django admin are audited like changes made through the services."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest

from .services import audit_record, plain

SECRET_FIELDS = {"password"}


def _plain(record: models.Model) -> dict[str, Any]:
    data = model_to_dict(record)
    return {k: "******" if k in SECRET_FIELDS else plain(v) for k, v in data.items()}


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records an audit event (before → after) for every add, change and delete."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _plain(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="admin_change" if change else "admin_add",
            record=obj,
            before=before,
            after=_plain(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action="admin_delete", record=obj, before=_plain(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_record(actor=request.user, action="admin_delete", record=obj, before=_plain(obj))
        super().delete_queryset(request, queryset)
