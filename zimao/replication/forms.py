from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zimao.lib.models import validate_partial_date
from zimao.reforms.models import Domain
from zimao.zones.models import Zone

from .models import Adoption, ReplicationBatch, ReplicationItem
from .selectors import ItemFilters, responsible_units


class ItemFilterForm(forms.Form):
    """The filters of the item list; invalid choices are reported, not silently ignored."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    batch = forms.ChoiceField(label=_("批次"), required=False)
    domain = forms.ChoiceField(label=_("领域"), required=False)
    scope_kind = forms.ChoiceField(label=_("推广范围"), required=False)
    responsible_unit = forms.ChoiceField(label=_("负责单位"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        everything = [("", _("全部"))]
        self.fields["batch"].choices = everything + [  # type: ignore[attr-defined]
            (b.code, b.label) for b in ReplicationBatch.objects.all()
        ]
        self.fields["domain"].choices = everything + [  # type: ignore[attr-defined]
            (d.code, d.name) for d in Domain.objects.all()
        ]
        self.fields["scope_kind"].choices = everything + list(  # type: ignore[attr-defined]
            ReplicationItem.ScopeKind.choices
        )
        self.fields["responsible_unit"].choices = everything + [  # type: ignore[attr-defined]
            (u, u) for u in responsible_units()
        ]

    def filters(self) -> ItemFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ItemFilters(**{k: data.get(k, "") for k in self.fields})


class AdoptionForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("自贸试验区"), queryset=Zone.objects.none())
    status = forms.ChoiceField(label=_("状态"), choices=Adoption.Status.choices)
    date = forms.CharField(
        label=_("日期"),
        required=False,
        max_length=10,
        validators=[validate_partial_date],
        help_text="YYYY-MM-DD",
    )
    evidence = forms.CharField(
        label=_("佐证"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, zones: QuerySet[Zone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]
