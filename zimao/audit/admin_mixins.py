"""Changes made in the Django admin go through the write path like changes made through the
services: audited (inline rows too), versioned records claimed at the version the editor saw
(a stale form is refused), and the index and page cache follow after the commit."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import writes
from .services import plain

SECRET_FIELDS = {"password"}


def _plain(record: models.Model) -> dict[str, Any]:
    data = model_to_dict(record)
    return {k: "******" if k in SECRET_FIELDS else plain(v) for k, v in data.items()}


def _masked(data: dict[str, Any]) -> dict[str, Any]:
    return {k: "******" if k in SECRET_FIELDS else plain(v) for k, v in data.items()}


class VersionedAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Carries the version the editor loaded; saving over a newer version is refused."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk is None:
            return cleaned
        # Locked until the admin's transaction ends (PostgreSQL; SQLite holds the write lock).
        current = (
            type(self.instance)
            ._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if cleaned.get("seen_version") != current:
            raise forms.ValidationError(
                _("该记录已被他人修改，请刷新后重试。"), code="stale_version"
            )
        return cleaned


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every add, change (with its inlines) and delete goes through `audit.writes`."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        if writes.has_version(self.model) and "form" not in kwargs:
            form = self.form
            if not issubclass(form, VersionedAdminForm):
                form = type("Versioned" + form.__name__, (VersionedAdminForm, form), {})
            kwargs["form"] = form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if writes.has_version(self.model) and "version" not in fields:
            fields.append("version")  # moved only by saves, never typed in
        return fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        request._zimao_admin_before = _plain(stored) if stored is not None else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        going = []
        for formset in formsets:
            for inline_form in getattr(formset, "deleted_forms", []):
                child = inline_form.instance
                if child.pk is not None:
                    going.append((child, child.pk, _plain(child)))
        initial = {
            (type(f.instance), f.instance.pk): f.initial
            for formset in formsets
            for f in formset.forms
            if f.instance.pk is not None
        }
        super().save_related(request, form, formsets, change)
        obj = form.instance
        children: list[tuple[str, models.Model, Any, Any]] = []
        for formset in formsets:
            for child in formset.new_objects:
                children.append(("admin_add", child, None, _plain(child)))
            for child, fields in formset.changed_objects:
                was = initial.get((type(child), child.pk), {})
                old = _masked({f: was.get(f) for f in fields})
                children.append(("admin_change", child, old, _plain(child)))
        for child, pk, was in going:
            child.pk = pk  # Django clears it on delete; the log and the index need it
            children.append(("admin_delete", child, was, None))
        before = getattr(request, "_zimao_admin_before", None)
        if change and not form.has_changed() and not children:
            return  # saved without a change: nothing to audit, no new version
        seen = form.cleaned_data.get("seen_version") if "seen_version" in form.fields else None
        if seen is None and before is not None:
            seen = before.get("version")
        writes.admin_save(
            user=request.user,
            record=obj,
            created=not change,
            before=before,
            after=_plain(obj),
            version=seen,
            children=children,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        writes.admin_delete(user=request.user, record=obj, before=_plain(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            writes.admin_delete(user=request.user, record=obj, before=_plain(obj))
        super().delete_queryset(request, queryset)
