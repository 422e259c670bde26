from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Actor, visible
from zimao.lib.forms import PartialDateField
from zimao.lib.models import validate_partial_date
from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationBatch
from zimao.vocab.models import Domain
from zimao.zones.models import Zone


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件（文本、HTML、PDF、Word）"))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("文件过大：%(size).1f MB，上限为 %(limit)s MB。")
                % {"size": upload.size / 1024 / 1024, "limit": settings.MAX_UPLOAD_MB}
            )
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked like a single upload."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] or [single(None, initial)]
        return [single(data, initial)]


class BatchUploadForm(forms.Form):
    """The upload page: one file is read at once, several become one background job."""

    file = MultipleFileField(label=_("文件（文本、HTML、PDF、Word；可多选）"))

    def clean_file(self) -> list[UploadedFile]:
        uploads: list[UploadedFile] = self.cleaned_data["file"]
        if len(uploads) > settings.MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("一次最多导入 %(limit)s 个文件，本次选择了 %(n)s 个。")
                % {"limit": settings.MAX_UPLOAD_FILES, "n": len(uploads)}
            )
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        for upload in uploads:
            if upload.size is not None and upload.size > limit:
                raise forms.ValidationError(
                    _("文件过大：%(name)s（%(size).1f MB），上限为 %(limit)s MB。")
                    % {
                        "name": upload.name,
                        "size": upload.size / 1024 / 1024,
                        "limit": settings.MAX_UPLOAD_MB,
                    }
                )
        return uploads


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("采纳")), ("reject", _("驳回")), ("correct", _("更正"))]
    )


FORMAT_CHOICES = [
    ("", _("全部格式")),
    ("pdf", "PDF"),
    ("docx", "Word"),
    ("html", "HTML"),
    ("txt", _("纯文本")),
]


class DocumentFilterForm(forms.Form):
    """The documents list's filter, read from the query string; a wrong value is dropped with
    a note, and the list still shows."""

    q = forms.CharField(label=_("标题包含"), max_length=100, required=False)
    format = forms.ChoiceField(label=_("格式"), choices=FORMAT_CHOICES, required=False)
    zone = forms.ChoiceField(label=_("所属自贸试验区"), required=False)
    year = forms.IntegerField(label=_("导入年份"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [  # type: ignore[attr-defined]
            ("", _("全部")),
            ("-", _("全国（无所属自贸试验区）")),
            *[(z.code, z.name) for z in Zone.objects.all()],
        ]

    def filter(self) -> Any:
        from .selectors import DocumentFilter

        if not self.is_valid():
            return DocumentFilter(
                **{k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}
            )
        data = self.cleaned_data
        return DocumentFilter(
            format=data["format"] or "",
            zone=data["zone"] or "",
            year=data["year"],
            q=" ".join((data["q"] or "").split()),
        )


class RenameForm(forms.Form):
    """A document's new title; `was` is the title the editor saw (a rename made meanwhile by
    someone else is not overwritten silently)."""

    title = forms.CharField(label=_("标题"), max_length=300, strip=True)
    was = forms.CharField(widget=forms.HiddenInput, max_length=300, required=False, strip=False)


class BulkByFilterForm(forms.Form):
    """Accept or reject every fact matching a filter; `seen` is the fingerprint of the facts
    the confirm page counted."""

    action = forms.ChoiceField(choices=[("accept", _("采纳")), ("reject", _("驳回"))])
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class BulkReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("采纳")), ("reject", _("驳回"))])
    facts = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)

    def __init__(self, *args: Any, choices: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facts"]
        field.choices = [(pk, str(pk)) for pk in choices]  # type: ignore[attr-defined]
        field.error_messages["required"] = _("请先勾选要处理的事实")


def _zone_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(z.code, z.name) for z in Zone.objects.all()]]


def _domain_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(d.code, d.name) for d in Domain.objects.all()]]


def _number(label: Any) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, min_value=-1e12, max_value=1e12)


def _text(label: Any, max_length: int = 300) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


Choices = list[tuple[str, str]] | Any


def correction_fields(
    fact_type: str, zones: Choices = _zone_choices, domains: Choices = _domain_choices
) -> dict[str, forms.Field]:
    """The typed fields a reviewer corrects for each fact type (never JSON). A page of many
    forms passes the zone and domain choices read once, not once per form."""
    if fact_type == "quantity":
        return {
            "value": _number(_("数值")),
            "unit": _text(_("单位"), 20),
            "approx": _text(_("约数（如 约、余、以上）"), 10),
            "redacted": forms.BooleanField(label=_("原文隐去了数值"), required=False),
        }
    if fact_type == "effect":
        return {
            "measure": _text(_("指标"), 100),
            "before": _number(_("改革前")),
            "after": _number(_("改革后")),
            "unit": _text(_("单位"), 20),
            "change_pct": _number(_("变化（%）")),
        }
    if fact_type == "date":
        return {"date": PartialDateField(label=_("日期"), validators=[validate_partial_date])}
    if fact_type == "zone":
        return {"zone": forms.ChoiceField(label=_("自贸试验区"), choices=zones)}
    if fact_type == "case":
        return {
            "title": forms.CharField(label=_("案例名称"), max_length=300),
            "zone": forms.ChoiceField(label=_("自贸试验区"), choices=zones, required=False),
            "domain": forms.ChoiceField(label=_("领域"), choices=domains, required=False),
        }
    if fact_type == "table_row":
        return {
            "item": _text(_("改革事项")),
            "responsible_unit": _text(_("负责单位"), 200),
            "scope": _text(_("推广范围")),
            "cells": forms.CharField(
                label=_("单元格（每行一个）"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=3000,
            ),
        }
    return {}


def _render_fast(
    self: forms.Widget, name: str, value: Any, attrs: Any = None, renderer: Any = None
) -> SafeString:
    """The widget's HTML built in Python, as Django's own widget templates write it: a review
    page carries fifty correction forms, and template-rendering each input and option took
    most of the page's time."""
    widget = self.get_context(name, value, attrs)["widget"]
    own = flatatt(widget["attrs"])
    if isinstance(self, forms.Select):
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (o["value"], flatatt(o["attrs"]), o["label"])
                for _group, group, _index in widget["optgroups"]
                for o in group
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, own, options)
    if isinstance(self, forms.Textarea):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            name,
            own,
            widget["value"] or "",
        )
    shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        name,
        shown,
        own,
    )


_FAST: dict[type[forms.Widget], type[forms.Widget]] = {}


def _fast(widget: forms.Widget) -> None:
    """Give a plain input, select or text area the Python renderer above."""
    kind = type(widget)
    if kind not in _FAST:
        _FAST[kind] = type(f"Fast{kind.__name__}", (kind,), {"render": _render_fast})
    widget.__class__ = _FAST[kind]


class FactCorrectionForm(forms.Form):
    """A correction of one fact, with the fields of its type; starts from the fact's values."""

    def __init__(
        self,
        *args: Any,
        fact: Any,
        zones: Choices = _zone_choices,
        domains: Choices = _domain_choices,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"fact-{fact.pk}")
        initial = dict(fact.payload)
        if isinstance(initial.get("cells"), list):
            initial["cells"] = "\n".join(str(c) for c in initial["cells"])
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fact = fact
        self.fields.update(correction_fields(fact.type, zones, domains))
        for field in self.fields.values():
            _fast(field.widget)

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the fact's payload."""
        changed: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            sent = self.add_prefix(name) in self.data
            if not sent and not isinstance(self.fields[name], forms.BooleanField):
                continue  # a field the request left out is not a change
            if name == "cells":
                value = [line.strip() for line in str(value).splitlines() if line.strip()]
            elif value == "" and name in ("zone", "domain"):
                value = None
            current = self.fact.payload.get(name)
            if value != current and not (value in ("", None, False) and not current):
                changed[name] = value
        return changed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.changes():
            raise forms.ValidationError(_("未修改任何内容"))
        return data


class LinkInnovationForm(forms.Form):
    innovation = forms.ModelChoiceField(
        queryset=Innovation.objects.none(),
        required=False,
        label=_("制度创新成果"),
        empty_label=_("新建（由案例生成）"),
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        """Only innovations the user may add effects to are offered."""
        super().__init__(*args, **kwargs)
        choices = visible(user, Innovation.objects.all(), Action.EDIT).order_by("-created_at")
        field = self.fields["innovation"]
        if not isinstance(field, forms.ModelChoiceField):  # pragma: no cover - declared above
            raise TypeError("innovation must be a model choice")
        field.queryset = choices
        options = [(i.pk, i.title) for i in choices.only("pk", "title")[:500]]
        field.widget.choices = [("", field.empty_label), *options]


class LinkItemForm(forms.Form):
    batch = forms.ModelChoiceField(queryset=ReplicationBatch.objects.all(), label=_("批次"))
