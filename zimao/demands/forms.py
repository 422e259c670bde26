from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zimao.documents.forms import MultipleFileField
from zimao.reforms.forms import TokenField, new_token
from zimao.reforms.models import ResponsibleUnit
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Zone

from .models import AuthorityRequest, Demand, Enterprise

INDUSTRIES = [
    _("跨境贸易"),
    _("跨境电商"),
    _("生物医药"),
    _("集成电路"),
    _("金融服务"),
    _("航运物流"),
    _("数字经济"),
    _("先进制造"),
    _("专业服务"),
    _("文化旅游"),
]


class EnterpriseFields(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18 位，见营业执照；系统会核对校验位。"),
    )
    zone = forms.ModelChoiceField(
        label=_("所在自贸试验区"), queryset=Zone.objects.order_by("batch", "code")
    )
    area = forms.ModelChoiceField(
        label=_("所在片区"),
        queryset=Area.objects.select_related("zone").order_by("zone__code", "name_zh"),
        required=False,
        empty_label=_("不确定或不属具体片区"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)


class RegisterForm(EnterpriseFields):
    """Only what the office needs to verify the enterprise and to write back."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于接收受理、交办和答复通知。"))
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)


class DemandForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("代为提交的企业"), queryset=Enterprise.objects.none(), required=False
    )
    title = forms.CharField(label=_("诉求标题"), max_length=120)
    industry = forms.CharField(
        label=_("所属行业"),
        max_length=50,
        widget=forms.TextInput(attrs={"list": "industries"}),
    )
    problem = forms.CharField(
        label=_("遇到的问题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    blocker = forms.CharField(
        label=_("造成阻碍的流程或规定"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明哪个环节、哪项规定（文件名称和条款）造成阻碍。"),
    )
    change = forms.CharField(
        label=_("希望的改革"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    benchmark = forms.CharField(
        label=_("可对标的国际做法（如了解）"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = MultipleFileField(
        label=_("佐证材料（PDF、Word、Excel、图片或文本，可多选）"), required=False
    )
    token = TokenField()

    def __init__(
        self, *args: Any, enterprises: QuerySet[Enterprise] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("token", new_token())
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
            self.fields["enterprise"].required = True


class TriageForm(forms.Form):
    DECISIONS = [("accept", _("受理")), ("reject", _("不予受理")), ("merge", _("合并到其他诉求"))]
    decision = forms.ChoiceField(label=_("处理"), choices=DECISIONS)
    reason = forms.CharField(
        label=_("不予受理的理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    into = forms.ModelChoiceField(label=_("合并到"), queryset=Demand.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args: Any, targets: QuerySet[Demand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("承办部门"),
        queryset=ResponsibleUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(label=_("办理时限"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args: Any, units: QuerySet[ResponsibleUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        choices=[(n, f"{n}") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    rating_note = forms.CharField(label=_("评价意见"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)


class PromoteForm(forms.Form):
    title = forms.CharField(label=_("制度创新标题"), max_length=120)
    domain = forms.ModelChoiceField(
        label=_("领域"), queryset=Domain.objects.all(), required=False, empty_label=_("请选择…")
    )


class EscalateForm(forms.Form):
    level = forms.ChoiceField(label=_("报请层级"), choices=AuthorityRequest.Level.choices)
    domain = forms.ModelChoiceField(
        label=_("领域"), queryset=Domain.objects.all(), required=False, empty_label=_("请选择…")
    )
    power = forms.CharField(label=_("所需事权"), max_length=200)
    request = forms.CharField(
        label=_("请求内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AuthorityAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("答复结果"),
        choices=[c for c in AuthorityRequest.Status.choices if c[0] != "open"],
    )
    answer = forms.CharField(
        label=_("答复"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)
