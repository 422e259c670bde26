import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import Action, Actor, visible
from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationBatch


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


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("采纳")), ("reject", _("驳回")), ("correct", _("更正"))]
    )
    changes = forms.CharField(label=_("更正内容（JSON）"), required=False, widget=forms.Textarea)

    def clean_changes(self) -> dict[str, Any] | None:
        raw = self.cleaned_data["changes"].strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("不是有效的 JSON：%(error)s") % {"error": exc.msg}
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_('应为 JSON 对象，例如 {"value": 37}'))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "correct" and not data.get("changes"):
            self.add_error("changes", _("更正时须填写内容"))
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
