from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .channels import WebhookRefused, check_webhook_url
from .models import Preference, Webhook


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("通过电子邮件提醒我"), required=False)
    webhook = forms.BooleanField(label=_("推送到本单位的企业微信 / 钉钉群"), required=False)
    mode = forms.ChoiceField(
        label=_("发送方式"),
        choices=Preference.Mode.choices,
        widget=forms.RadioSelect,
        help_text=_("每日汇总：电子邮件每天汇成一封；群消息总是即时发送"),
    )


class WebhookForm(forms.Form):
    """A group robot for one of the user's offices; the address must be on the allow-list."""

    name = forms.CharField(label=_("名称"), max_length=100)
    service = forms.ChoiceField(label=_("类型"), choices=Webhook.Service.choices)
    url = forms.CharField(
        label=_("Webhook 地址"),
        max_length=500,
        help_text=_(
            "在群设置 → 群机器人中复制，如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
        ),
    )
    office = forms.ChoiceField(label=_("所属单位"))

    def __init__(self, *args: Any, offices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = offices  # type: ignore[attr-defined]

    def clean_url(self) -> str:
        try:
            return check_webhook_url(self.cleaned_data["url"])
        except WebhookRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
