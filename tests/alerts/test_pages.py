"""The alert pages: each user's own channels, and the group robots of the user's offices."""

import pytest
from django.test import Client

from zimao.alerts.models import Preference, Webhook
from zimao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_user_chooses_channels_and_a_daily_digest(cast):
    client = signed_in(cast.zoe)
    page = client.get("/alerts/").content.decode()
    assert 'id="no-email"' in page  # the account has no address yet
    assert 'name="email"' in page and "checked" in page  # e-mail on by default
    response = client.post("/alerts/", {"webhook": "on", "mode": "digest"})
    assert response.status_code == 302
    saved = Preference.objects.get(user=cast.zoe)
    assert (saved.email, saved.webhook, saved.mode) == (False, True, "digest")
    assert client.post("/alerts/", {"email": "on", "mode": "digest"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.email, saved.webhook) == (True, False)
    events = AuditEvent.objects.filter(record_type="alerts.preference", record_id=saved.pk)
    assert [e.action for e in events.order_by("pk")] == ["create", "update"]
    assert client.post("/alerts/", {"mode": "hourly"}).status_code == 400
    assert Client().get("/alerts/")["Location"].startswith("/accounts/login/")


def test_an_office_adds_its_group_robot_and_only_allowed_hosts(cast, settings):
    settings.ALERT_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    client = signed_in(cast.zoe)
    page = client.get("/alerts/webhooks/").content.decode()
    assert "广东" in page and 'name="office"' in page
    refused = client.post(
        "/alerts/webhooks/",
        {
            "name": "工作群",
            "service": "wecom",
            "url": "https://evil.example.net/hook",
            "office": "zone:guangdong",
        },
    )
    assert refused.status_code == 400
    assert "不允许向 evil.example.net 推送" in refused.content.decode()
    assert not Webhook.objects.exists()
    other_office = client.post(
        "/alerts/webhooks/",
        {
            "name": "工作群",
            "service": "wecom",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a",
            "office": "zone:sichuan",  # not zoe's office
        },
    )
    assert other_office.status_code == 400 and not Webhook.objects.exists()
    added = client.post(
        "/alerts/webhooks/",
        {
            "name": "广东自贸办工作群",
            "service": "wecom",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a",
            "office": "zone:guangdong",
        },
    )
    assert added.status_code == 302
    robot = Webhook.objects.get()
    assert (robot.zone.code, robot.province, robot.area) == ("guangdong", "广东省", None)
    assert AuditEvent.objects.filter(record_type="alerts.webhook", action="create").count() == 1
    # Sichuan's office neither sees nor switches it; the province above does
    otto = signed_in(cast.otto)
    assert "广东自贸办工作群" not in otto.get("/alerts/webhooks/").content.decode()
    assert otto.post(f"/alerts/webhooks/{robot.pk}/toggle/").status_code == 403
    assert signed_in(cast.paul).post(f"/alerts/webhooks/{robot.pk}/toggle/").status_code == 302
    robot.refresh_from_db()
    assert robot.active is False
    assert signed_in(cast.rita).get("/alerts/webhooks/").status_code == 403
