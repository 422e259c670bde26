from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PilotTask


class TaskProgressForm(forms.Form):
    """Progress of one task; `version` is the version the editor loaded (optimistic lock)."""

    status = forms.ChoiceField(label=_("状态"), choices=PilotTask.Status.choices)
    evidence = forms.CharField(
        label=_("进展与佐证"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    responsible_units = forms.CharField(label=_("责任单位"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
