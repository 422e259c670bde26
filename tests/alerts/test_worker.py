"""The whole path through the real job queue: a scheduled run queues the deliveries, a real
`zimao db_worker` process sends them to a real SMTP server and a real HTTP receiver."""

import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_plan, person
from tests.test_jobs import WORKER, worker_env
from zimao.accounts.models import Role
from zimao.alerts.models import Delivery, Webhook
from zimao.reforms import deadlines
from zimao.reforms.models import PilotTask
from zimao.zones.models import Zone

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_due_soon_alert_to_the_mailbox_and_the_group(tmp_path, mailbox, robot):
    zone = Zone.objects.get(code="sichuan")
    otto = person("otto", Role.ZONE, zone=zone)
    otto.email = "otto@sc.example.cn"
    otto.save()
    Webhook.objects.create(
        name="四川自贸办钉钉群", service="dingtalk", url=robot.url("sc"), zone=zone
    )
    PilotTask.objects.create(
        plan=make_plan("sichuan"),
        number="SC-3",
        text="推进中欧班列运单物权化试点",
        due_date=NOW.date() + timedelta(days=3),
    )
    assert deadlines.scheduled(NOW).due_soon == 1
    env = worker_env(
        tmp_path,
        ZIMAO_EMAIL_HOST="127.0.0.1",
        ZIMAO_EMAIL_PORT=str(mailbox.port),
        ZIMAO_WEBHOOK_HOSTS="127.0.0.1",
    )
    result = subprocess.run(
        [*WORKER, "--batch"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(Delivery.objects.values_list("channel", "state")) == [
        ("email", "sent"),
        ("webhook", "sent"),
    ]
    [mail] = mailbox.messages
    assert mail["To"] == "otto@sc.example.cn" and "SC-3 将于 3 天后到期" in mail["Subject"]
    [(path, body)] = robot.received
    assert path.endswith("key=sc") and body["msgtype"] == "text"
    assert body["text"]["content"].startswith(
        "试点任务 SC-3 将于 3 天后到期（完成时限 2026-06-04）"
    )
