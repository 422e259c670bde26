from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Edition


class CheckForm(forms.Form):
    """One admission question; every field explains its own error in Chinese."""

    activity = forms.CharField(label=_("行业或活动（GB/T 4754 代码或文字）"), max_length=100)
    foreign_share = forms.DecimalField(
        label=_("外资股比（%）"), min_value=Decimal(0), max_value=Decimal(100), required=False,
        max_digits=5, decimal_places=2,
    )  # fmt: skip
    mode = forms.ChoiceField(
        label=_("提供方式"),
        choices=[
            ("commercial_presence", _("商业存在（设立企业）")),
            ("cross_border", _("跨境提供")),
        ],
    )
    place = forms.ChoiceField(
        label=_("地点"),
        choices=[("ftz", _("自贸试验区内")), ("hainan", _("海南自由贸易港")),
                 ("elsewhere", _("自贸试验区外"))],
    )  # fmt: skip
    day = forms.DateField(label=_("日期"), initial=date(2024, 1, 1))


class DiffForm(forms.Form):
    old = forms.ModelChoiceField(
        label=_("原版本"), queryset=Edition.objects.all(), to_field_name="code"
    )
    new = forms.ModelChoiceField(
        label=_("新版本"), queryset=Edition.objects.all(), to_field_name="code"
    )
