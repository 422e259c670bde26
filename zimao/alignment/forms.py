from django import forms
from django.utils.translation import gettext_lazy as _

from zimao.zones.models import Zone

from .models import AlignmentMeasure


class MatrixFilterForm(forms.Form):
    """Filters of the matrix; every error is explained in Chinese."""

    """Filters of the measure list and the matrix; every error is explained in Chinese."""

    field = forms.ChoiceField(
        label=_("领域"), required=False,
        choices=[("", _("全部领域")), *AlignmentMeasure.Field.choices],
        error_messages={"invalid_choice": _("没有该领域：%(value)s")},
    )  # fmt: skip
    zone = forms.ModelChoiceField(
        label=_("试点地区"), required=False, queryset=Zone.objects.none(),
        to_field_name="code", empty_label=_("全部试点地区"),
        error_messages={"invalid_choice": _("该自贸试验区不承担本批措施")},
    )  # fmt: skip

    def __init__(self, *args: object, zones: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if zones is not None:
            self.fields["zone"].queryset = zones  # type: ignore[attr-defined]

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"field": "", "zone": ""}
        zone = self.cleaned_data["zone"]
        return {"field": self.cleaned_data["field"], "zone": zone.code if zone else ""}


class MeasureFilterForm(MatrixFilterForm):
    """The list's filters: the matrix's, and words."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def values(self) -> dict[str, str]:
        values = super().values()
        values["q"] = self.cleaned_data["q"].strip() if self.is_valid() else ""
        return values
