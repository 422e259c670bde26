"""The daily reminder of demand assignments: the contact and the offices hear once per
threshold and deadline, however often it runs; `now` is passed, never read."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from zimao.accounts.models import Notification
from zimao.demands import services
from zimao.demands.models import AssignmentAlert
from zimao.demands.reminders import Sent, scheduled

from .conftest import DEMAND, contact

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_each_threshold_is_announced_once(cast, firms, departments):
    eve = firms["eve"]
    demand = services.demand_submit(user=eve.user, enterprise=eve, **DEMAND)
    demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
    services.demand_assign(
        user=cast.ada,
        demand=demand,
        version=demand.version,
        units=[
            (departments["dora"], date(2026, 6, 5)),
            (departments["dan"], date(2026, 5, 20)),
        ],
    )
    assert scheduled(NOW) == Sent(due_soon=1, overdue=1)
    for later in (NOW, NOW + timedelta(hours=3)):
        assert scheduled(later) == Sent(due_soon=0, overdue=0)
    dora_notes = Notification.objects.filter(user=contact("dora"), kind="demand_due_soon")
    assert [n.text for n in dora_notes] == [
        f"企业诉求“{DEMAND['title']}”交深圳市商务局办理，将于 4 天后到期。"
    ]
    assert Notification.objects.filter(user=contact("dan"), kind="demand_overdue").count() == 1
    assert Notification.objects.filter(user=cast.ada, kind="demand_overdue").count() == 1
    assert not Notification.objects.filter(user=eve.user, kind__startswith="demand_").exists()
    call_command("demand_deadlines", now=(NOW + timedelta(days=5)).isoformat())
    assert AssignmentAlert.objects.filter(threshold="overdue").count() == 2
