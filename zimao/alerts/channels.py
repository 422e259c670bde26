"""The two ways an alert leaves Zimao: e-mail through Django's mail framework, and a POST to
a 企业微信/钉钉 group robot. Both raise DeliveryError with a reason a person can read."""

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _


class DeliveryError(Exception):
    """A message could not be delivered this time; the text says why (kept on the delivery)."""


class WebhookRefused(ValueError):
    """A webhook address outside the allow-list (or not http/https): never called."""


def check_webhook_url(url: str) -> str:
    """The address if its host is allowed (settings.ALERT_WEBHOOK_HOSTS), else WebhookRefused
    naming the hosts that are."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    allowed = [h.lower() for h in settings.ALERT_WEBHOOK_HOSTS]
    if parts.scheme not in ("http", "https") or not host:
        raise WebhookRefused(_("Webhook 地址须以 https:// 开头"))
    if host not in allowed:
        raise WebhookRefused(
            _(
                "不允许向 %(host)s 推送：Webhook 地址只能指向 %(allowed)s"
                "（可用 ZIMAO_WEBHOOK_HOSTS 增加）"
            )
            % {"host": host, "allowed": "、".join(allowed)}
        )
    return url.strip()


def robot_payload(content: str) -> dict[str, Any]:
    """The text message both robots take: {"msgtype": "text", "text": {"content": ...}}."""
    return {"msgtype": "text", "text": {"content": content}}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot answers directly; a redirect could lead outside the allow-list."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post_webhook(url: str, content: str) -> None:
    """POST the text to a group robot; a refusal, an HTTP error, a timeout or an answer with
    a non-zero errcode (how both services report failure) raise DeliveryError."""
    try:
        check_webhook_url(url)
    except WebhookRefused as exc:
        raise DeliveryError(str(exc)) from exc
    data = json.dumps(robot_payload(content), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - http(s) on an allowed host, checked above
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _opener.open(request, timeout=settings.ALERT_TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(_("群机器人返回 HTTP %(code)s") % {"code": exc.code}) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(_("无法连接群机器人：%(e)s") % {"e": exc}) from exc
    if not 200 <= status < 300:
        raise DeliveryError(_("群机器人返回 HTTP %(code)s") % {"code": status})
    try:
        answer = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, ValueError):
        answer = {}
    if isinstance(answer, dict) and answer.get("errcode", 0) not in (0, "0"):
        raise DeliveryError(
            _("群机器人拒绝：%(code)s %(msg)s")
            % {"code": answer.get("errcode"), "msg": str(answer.get("errmsg", ""))[:200]}
        )


def send_email(to: str, subject: str, body: str) -> None:
    """One plain-text e-mail through the configured backend (console by default, SMTP from
    ZIMAO_EMAIL_*)."""
    try:
        sent = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()
    except OSError as exc:  # smtplib's errors are OSErrors too
        raise DeliveryError(_("邮件发送失败：%(e)s") % {"e": exc}) from exc
    if not sent:
        raise DeliveryError(_("邮件未被接收"))
