import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zimao.lib.forms import DayField
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Zone

from .models import Innovation, PilotTask, ResponsibleUnit


class TaskProgressForm(forms.Form):
    """Progress of one task; `version` is the version the editor loaded (optimistic lock)."""

    status = forms.ChoiceField(label=_("状态"), choices=PilotTask.Status.choices)
    evidence = forms.CharField(
        label=_("进展与佐证"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_date = DayField(label=_("完成时限"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("责任单位"),
        queryset=ResponsibleUnit.objects.none(),
        required=False,
        help_text=_("可多选；名录由试验区工作机构维护"),
    )
    attachment = forms.FileField(
        label=_("佐证附件（可选）"),
        required=False,
        help_text=_("PDF、DOCX、XLSX、PNG、JPEG 或 TXT，与进展一同保存"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = ResponsibleUnit.objects.filter(zone_id=zone_id)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class ResponsibleUnitForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)


class TokenField(forms.CharField):
    """A one-time value rendered into a form: the same submission sent twice saves once."""

    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, max_length=64)


def new_token() -> str:
    return uuid.uuid4().hex


class InnovationForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=300)
    zone = forms.ModelChoiceField(
        label=_("自贸试验区"), queryset=Zone.objects.none(), empty_label=_("请选择…")
    )
    area = forms.ModelChoiceField(
        label=_("片区"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("自贸试验区层面（不属具体片区）"),
    )
    domain = forms.ModelChoiceField(
        label=_("领域"), queryset=Domain.objects.all(), required=False, empty_label=_("请选择…")
    )
    mechanism = forms.CharField(
        label=_("做法"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    token = TokenField()

    def __init__(
        self, *args: Any, zones: QuerySet[Zone], areas: QuerySet[Area], **kwargs: Any
    ) -> None:
        """`zones`: where the user may create zone-level records; `areas`: the areas (an area
        office has no zone-level right: it picks its area, and the zone follows)."""
        kwargs.setdefault("initial", {}).setdefault("token", new_token())
        super().__init__(*args, **kwargs)
        self.zone_level = zones
        self.fields["zone"].queryset = zones | Zone.objects.filter(  # type: ignore[attr-defined]
            pk__in=areas.values("zone_id")
        )
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area, zone = data.get("area"), data.get("zone")
        if area is not None and zone is not None and area.zone_id != zone.pk:
            self.add_error("area", _("片区不属于所选自贸试验区"))
        elif area is None and zone is not None and zone not in self.zone_level:
            self.add_error("area", _("请选择您负责的片区"))
        return data


class EffectForm(forms.Form):
    measure = forms.CharField(label=_("指标"), max_length=100)
    token = TokenField()
    before = forms.FloatField(label=_("改革前"), required=False)
    after = forms.FloatField(label=_("改革后"), required=False)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    change_pct = forms.FloatField(label=_("变化（%）"), required=False)
    period = forms.CharField(label=_("统计期间"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("token", new_token())
        super().__init__(*args, **kwargs)


class TransitionForm(forms.Form):
    """A lifecycle step; the lifecycle service decides whether the step is allowed."""

    to_state = forms.ChoiceField(choices=Innovation.State.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    selection = forms.ChoiceField(
        label=_("入选类型"), required=False, choices=[("", "—"), *Innovation.Selection.choices]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)
