"""E-mails that reach people through the alerts' delivery, received by a real SMTP server on
localhost: the departments' contacts when a demand is assigned to them, the enterprise at each
change of its demand's status."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from zimao.alerts.delivery import deliver_due
from zimao.demands import services

from .conftest import DEMAND, contact

pytestmark = pytest.mark.django_db
LATER = timedelta(minutes=1)  # deliveries planned now are due by then


def sent_to(mailbox) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in mailbox.messages:
        found.setdefault(str(message["To"]), []).append(str(message["Subject"]))
    return found


def test_assignment_mails_the_contacts_and_status_changes_mail_the_enterprise(
    cast, firms, departments, mailbox, django_capture_on_commit_callbacks
):
    eve = firms["eve"]
    with django_capture_on_commit_callbacks(execute=True):
        demand = services.demand_submit(user=eve.user, enterprise=eve, **DEMAND)
        demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
        demand = services.demand_assign(
            user=cast.ada,
            demand=demand,
            version=demand.version,
            units=[(departments["dora"], date(2026, 7, 1)), (departments["dan"], date(2026, 7, 2))],
        )
    assert deliver_due(timezone.now() + LATER) >= 4
    inbox = sent_to(mailbox)
    assert any("请办理企业诉求" in s and "2026-07-01" in s for s in inbox["dora@gov.example.cn"])
    assert any("2026-07-02" in s for s in inbox["dan@gov.example.cn"])
    mine = inbox["eve@firm.example.cn"]
    assert any("已受理" in s for s in mine) and any("交办" in s for s in mine)
    elsewhere = [s for to, subjects in inbox.items() if "mallory" in to for s in subjects]
    assert not any(DEMAND["title"] in s for s in elsewhere)  # nobody else hears of it
    [link] = {
        m.get_content().split()[-1] for m in mailbox.messages if m["To"] == "dora@gov.example.cn"
    }
    assert link.startswith("http://") and "/demands/assignments/" in link

    mailbox.messages.clear()
    assignment = demand.assignments.get(unit=departments["dora"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_answer(
            user=contact("dora"), assignment=assignment, version=1, answer="支持试点"
        )
    deliver_due(timezone.now() + LATER)
    assert any("收到深圳市商务局的答复" in s for s in sent_to(mailbox)["eve@firm.example.cn"])
