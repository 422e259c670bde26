"""Alerts that reach people: a real SMTP server and a real HTTP receiver (standing in for a
企业微信/钉钉 group robot) on localhost receive what Zimao sends; failures are retried with a
back-off, a digest gathers several alerts into one e-mail, and times are passed, never read."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from tests.factories import make_innovation, make_plan
from zimao.accounts.models import Notification
from zimao.alerts.channels import WebhookRefused, check_webhook_url
from zimao.alerts.delivery import deliver, deliver_due, scheduled
from zimao.alerts.models import Delivery, Preference, Webhook
from zimao.alerts.notify import notify
from zimao.reforms import deadlines
from zimao.reforms.lifecycle import innovation_transition
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import ReplicationBatch
from zimao.replication.services import item_from_row

from .receivers import free_port

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 7, 0, tzinfo=SHANGHAI)


@pytest.fixture
def zoe(cast):
    cast.zoe.email = "zoe@gd.example.cn"
    cast.zoe.save()
    return cast.zoe


@pytest.fixture
def group(zoe, robot):
    """The Guangdong zone office's 企业微信 group robot, on the local receiver."""
    zone = zoe.memberships.get().zone
    return Webhook.objects.create(
        name="广东自贸办工作群", service="wecom", url=robot.url(), zone=zone, province=zone.province
    )


def queued() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="deliver_task").count()


def test_a_due_soon_task_alerts_its_office_by_mail_and_in_its_group_once(
    zoe, group, mailbox, robot, django_capture_on_commit_callbacks
):
    task = PilotTask.objects.create(
        plan=make_plan("guangdong"),
        number="GD-7",
        text="推进跨境服务贸易负面清单落地",
        due_date=NOW.date() + timedelta(days=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = deadlines.scheduled(NOW)
    assert (sent.due_soon, sent.overdue) == (1, 0)
    note = Notification.objects.get(user=zoe)
    assert note.kind == "task_due_soon" and "GD-7 将于 5 天后到期" in note.text
    assert queued() == 2  # the e-mail and the group message, on the job queue
    assert mailbox.messages == [] and robot.received == []  # nothing sent while planning

    assert deliver_due(NOW) == 2  # what the worker runs
    [mail] = mailbox.messages
    assert mail["To"] == "zoe@gd.example.cn" and "GD-7" in mail["Subject"]
    link = f"http://127.0.0.1:8000/reforms/plans/{task.plan_id}/#task-{task.pk}"
    assert link in mail.get_content()
    [(path, body)] = robot.received
    assert path == "/cgi-bin/webhook/send?key=k1"
    assert body == {"msgtype": "text", "text": {"content": f"{note.text}\n{link}"}}

    for later in (NOW, NOW + timedelta(hours=5), NOW + timedelta(days=2)):
        assert deadlines.scheduled(later) == deadlines.Sent(due_soon=0, overdue=0)
    assert Notification.objects.filter(user=zoe).count() == 1
    overdue = deadlines.scheduled(NOW + timedelta(days=6))
    assert (overdue.due_soon, overdue.overdue) == (0, 1)
    assert Notification.objects.filter(user=zoe, kind="task_overdue").count() == 1


def test_a_failing_receiver_is_retried_with_a_back_off_until_it_answers(
    zoe, group, mailbox, robot, settings, django_capture_on_commit_callbacks
):
    settings.ALERT_RETRY_SECONDS = 60
    robot.fail_with = [500, 502]
    good_port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [zoe], "已退回：跨境贸易单一窗口", "/reforms/innovations/1/", kind="returned", now=NOW
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_due(NOW) == 0
    mail, post = Delivery.objects.get(channel="email"), Delivery.objects.get(channel="webhook")
    assert (post.state, post.attempts, post.last_error) == ("pending", 1, "群机器人返回 HTTP 500")
    assert post.next_attempt_at == NOW + timedelta(seconds=60)
    assert mail.state == "pending" and mail.last_error.startswith("邮件发送失败")
    retries = DBTaskResult.objects.filter(run_after=NOW + timedelta(seconds=60))
    assert retries.count() == 2  # each retry queued for its time

    assert deliver_due(NOW + timedelta(seconds=30)) == 0  # not yet due: nothing attempted
    assert len(robot.received) == 1
    settings.EMAIL_PORT = good_port
    assert deliver_due(NOW + timedelta(seconds=60)) == 1  # the mail; the robot fails again
    post.refresh_from_db()
    assert (post.attempts, post.last_error) == (2, "群机器人返回 HTTP 502")
    assert post.next_attempt_at == NOW + timedelta(seconds=180)  # 60 s, then 120 s
    assert deliver_due(NOW + timedelta(seconds=180)) == 1
    post.refresh_from_db()
    assert (post.state, post.attempts) == ("sent", 3)
    assert (
        robot.contents()
        == ["已退回：跨境贸易单一窗口\nhttp://127.0.0.1:8000/reforms/innovations/1/"] * 3
    )
    assert len(mailbox.messages) == 1


def test_a_delivery_that_keeps_failing_stops_after_the_last_attempt(zoe, group, robot, settings):
    settings.ALERT_ATTEMPTS = 2
    Preference.objects.create(user=zoe, email=False)
    robot.fail_with = [503] * 5
    notify([zoe], "新的复制推广事项", now=NOW)
    deliver_due(NOW)
    deliver_due(NOW + timedelta(hours=1))
    post = Delivery.objects.get()
    assert (post.state, post.attempts, post.next_attempt_at) == ("failed", 2, None)
    assert deliver_due(NOW + timedelta(days=1)) == 0 and len(robot.received) == 2


def test_a_daily_digest_gathers_the_held_alerts_into_one_mail_once_a_day(
    zoe, group, mailbox, robot, settings
):
    settings.ALERT_DIGEST_HOUR = 8
    Preference.objects.create(user=zoe, mode=Preference.Mode.DIGEST)
    for n in range(1, 4):
        notify([zoe], f"第{n}条提醒", f"/reforms/plans/{n}/", now=NOW)
    assert Delivery.objects.filter(state="held").count() == 3
    assert scheduled(NOW).digests == 0  # 07:00, before the digest hour
    assert len(robot.received) == 3 and mailbox.messages == []  # groups are told at once

    morning = NOW.replace(hour=8, minute=30)
    swept = scheduled(morning)
    assert (swept.digests, swept.sent) == (1, 1)
    [digest] = mailbox.messages
    assert "每日提醒汇总（2026-06-01，3 条）" in digest["Subject"]
    body = digest.get_content()
    assert all(f"第{n}条提醒" in body for n in range(1, 4))
    assert body.index("第1条") < body.index("第2条") < body.index("第3条")

    notify([zoe], "第4条提醒", now=morning)
    assert scheduled(morning + timedelta(hours=2)).digests == 0  # today's went out
    assert scheduled(NOW.replace(hour=7) + timedelta(days=1)).digests == 0
    assert scheduled(morning + timedelta(days=1)).digests == 1
    assert len(mailbox.messages) == 2 and "第4条提醒" in mailbox.messages[1].get_content()
    assert "第1条" not in mailbox.messages[1].get_content()


def test_only_allowed_hosts_are_called(zoe, robot, settings):
    settings.ALERT_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    with pytest.raises(WebhookRefused) as refused:
        check_webhook_url("https://hooks.example.com/send?key=1")
    assert str(refused.value) == (
        "不允许向 hooks.example.com 推送：Webhook 地址只能指向 qyapi.weixin.qq.com、"
        "oapi.dingtalk.com（可用 ZIMAO_WEBHOOK_HOSTS 增加）"
    )
    with pytest.raises(WebhookRefused):
        check_webhook_url("file:///etc/passwd")
    assert check_webhook_url(" https://oapi.dingtalk.com/robot/send?access_token=x ")
    # a robot stored before the list changed is refused at sending time, never called
    zone = zoe.memberships.get().zone
    Webhook.objects.create(name="旧群", service="dingtalk", url=robot.url(), zone=zone)
    Preference.objects.create(user=zoe, email=False)
    notify([zoe], "提醒", now=NOW)
    deliver_due(NOW)
    post = Delivery.objects.get()
    assert "不允许向 127.0.0.1 推送" in post.last_error and robot.received == []


def test_decisions_returns_and_new_items_notify_through_the_one_door(cast, zoe, mailbox):
    innovation = make_innovation(state=Innovation.State.SUBMITTED, created_by=zoe)
    innovation_transition(
        user=cast.paul,
        innovation=innovation,
        to_state=Innovation.State.ACHIEVED,
        reason="请补充成效数据",
        version=innovation.version,
    )
    note = Notification.objects.get(user=zoe)
    assert note.kind == "returned" and note.text.startswith("已退回")
    mail = Delivery.objects.get(notification=note, channel="email")
    assert mail.state == "pending" and mailbox.messages == []  # the request sent nothing
    assert deliver(mail.pk) == "sent"  # what the queued task runs
    assert [m["To"] for m in mailbox.messages] == ["zoe@gd.example.cn"]

    item = item_from_row(
        user=cast.nina,
        batch=ReplicationBatch.objects.order_by("pk").first(),
        values={
            "code": "alert-test-item",
            "seq": 99,
            "title": "跨境电商出口退货监管新模式",
            "scope_kind": "ftz",
            "source": "测试用来源",
        },
    )
    told = Notification.objects.filter(kind="replication_item", url=item.get_absolute_url())
    assert {n.user.username for n in told} == {"zoe", "otto", "ada"}  # zone and area offices
    assert Delivery.objects.filter(notification__in=told, channel="email").count() == 1  # zoe


def test_an_office_sends_a_test_message_to_its_group(
    cast, zoe, group, robot, client, django_capture_on_commit_callbacks
):
    client.force_login(zoe)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/alerts/webhooks/{group.pk}/test/")
    assert response.status_code == 302 and robot.received == []  # queued, not sent inline
    test = Delivery.objects.get(webhook=group)
    assert queued() == 1 and deliver(test.pk) == "sent"
    assert robot.contents() == ["群机器人测试消息：广东自贸办工作群 已接入 Zimao 提醒（zoe 发送）"]
    page = client.get("/alerts/webhooks/").content.decode()
    assert "群机器人测试消息" in page and "已发送" in page
    client.force_login(cast.otto)
    assert client.post(f"/alerts/webhooks/{group.pk}/test/").status_code == 403
    assert Delivery.objects.count() == 1


def test_notifying_many_people_costs_the_same_queries_as_a_few(
    cast, group, django_assert_max_num_queries
):
    from tests.factories import person
    from zimao.accounts.models import Role
    from zimao.zones.models import Zone

    zone = Zone.objects.get(code="guangdong")
    crowd = [person(f"clerk{n}", Role.ZONE, zone=zone) for n in range(12)]
    for user in crowd:
        user.email = f"{user.username}@gd.example.cn"
        user.save()
    with django_assert_max_num_queries(20) as few:
        notify(crowd[:2], "提醒", now=NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        notify(crowd, "提醒", now=NOW)
    assert Delivery.objects.filter(channel="email").count() == 14
    assert Delivery.objects.filter(channel="webhook").count() == 2  # the group once per alert


def test_the_periodic_commands_take_their_time_and_do_each_period_once(zoe, group, mailbox, robot):
    from io import StringIO

    from django.core.management import call_command

    def run(*args: str) -> str:
        out = StringIO()
        call_command(*args, stdout=out)
        return out.getvalue().strip()

    PilotTask.objects.create(
        plan=make_plan("guangdong"), number="GD-9", text="试点任务", due_date=NOW.date()
    )
    assert run("task_deadlines", "--now", "2026-06-01T09:00") == "due soon: 1, overdue: 0"
    assert run("task_deadlines", "--now", "2026-06-01T18:00") == "due soon: 0, overdue: 0"
    assert run("alerts", "--now", "2026-06-01T09:05") == "digests: 0, sent: 2"
    assert "GD-9 将于 0 天后到期" in mailbox.messages[0]["Subject"] and len(robot.received) == 1
