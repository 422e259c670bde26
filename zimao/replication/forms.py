from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zimao.lib.forms import PartialDateField
from zimao.lib.models import validate_partial_date
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Zone

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
    """Where a zone or one of its areas stands on an item. `version` is the version of the
    entry shown when the form was opened (empty: there was none)."""

    zone = forms.ModelChoiceField(
        label=_("自贸试验区"), queryset=Zone.objects.none(), required=False
    )
    area = forms.ModelChoiceField(label=_("片区"), queryset=Area.objects.none(), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=Adoption.Status.choices)
    date = PartialDateField(label=_("日期"), required=False, validators=[validate_partial_date])
    evidence = forms.CharField(
        label=_("佐证"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31
    )

    def __init__(
        self,
        *args: Any,
        item: ReplicationItem,
        zones: QuerySet[Zone],
        areas: QuerySet[Area],
        **kwargs: Any,
    ) -> None:
        """Offers only the zones and areas the user may record for; the version of the
        entry of the user's own (single) scope is pre-filled."""
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.can_record = zones.exists() or areas.exists()
        if not zones.exists():
            del self.fields["zone"]
            self.fields["area"].required = True
        if not areas.exists():
            del self.fields["area"]
        if self.is_bound:
            return
        if len(zones) == 1:
            self.initial["zone"] = zones[0].pk
            self._prefill(Adoption.objects.filter(item=item, zone=zones[0], area=None).first())
        elif len(areas) == 1 and not zones.exists():
            self.initial["area"] = areas[0].pk
            self._prefill(Adoption.objects.filter(item=item, area=areas[0]).first())

    def _prefill(self, current: Adoption | None) -> None:
        """Start from the entry the user is about to revise, and remember its version."""
        if current is not None:
            self.initial.update(
                status=current.status,
                date=current.date,
                evidence=current.evidence,
                version=current.version,
            )

    def clean(self) -> dict[str, Any]:
        """Zone and area are read once: add_error drops a field from cleaned_data."""
        data = super().clean()
        if data is None:
            data = self.cleaned_data
        zone, area = data.setdefault("zone", None), data.setdefault("area", None)
        if not self.can_record:
            raise forms.ValidationError(_("您没有可以记录落地情况的试验区或片区。"))
        if zone is None and area is None and not self.errors:
            self.add_error("zone" if "zone" in self.fields else "area", _("请选择自贸试验区或片区"))
        elif zone and area and area.zone_id != zone.pk:
            self.add_error("area", _("片区不属于所选自贸试验区"))
        data.setdefault("zone", None)
        data.setdefault("area", None)
        return data


class AdoptionFilterForm(forms.Form):
    zone = forms.ChoiceField(label=_("自贸试验区"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        everything = [("", _("全部"))]
        self.fields["zone"].choices = everything + [  # type: ignore[attr-defined]
            (z.code, z.name) for z in Zone.objects.all()
        ]
        self.fields["status"].choices = everything + list(  # type: ignore[attr-defined]
            Adoption.Status.choices
        )


class ItemTermsForm(forms.Form):
    """An item's editorial description and everyday words (separated by "；", "，" or spaces)."""

    description = forms.CharField(
        label=_("通俗说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    everyday_terms = forms.CharField(
        label=_("常用说法"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
