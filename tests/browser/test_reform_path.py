"""The loop in a real browser: a zone office records task progress and submits an innovation
with a measured effect; the national office scores and selects it; adoption elsewhere shows."""

import pytest

from tests.browser.signin import sign_in
from tests.factories import person
from zimao.accounts.models import Role
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import Adoption, ReplicationItem
from zimao.zones.models import Plan, Zone

pytestmark = [pytest.mark.browser]


@pytest.fixture
def world(loaded_live_server):
    guangdong = Zone.objects.get(code="guangdong")
    person("zoe", Role.ZONE, zone=guangdong)
    person("nina", Role.NATIONAL)
    plan = Plan.objects.filter(zone=guangdong).first()
    task = PilotTask.objects.create(plan=plan, number="7", text="建设粤港澳大湾区跨境贸易枢纽")
    item = ReplicationItem.objects.get(code="2019-investment-01")
    Adoption.objects.create(
        item=item, zone=Zone.objects.get(code="sichuan"), status="adopted", date="2020-05"
    )
    return {"plan": plan, "task": task, "item": item}


def step(page, label, reason):
    page.fill("#lifecycle-actions textarea[name=reason]", reason)
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_selector(".message")


def test_from_task_progress_to_selection(loaded_live_server, world, page):
    server = loaded_live_server
    sign_in(page, server, "zoe")
    page.goto(f"{server.url}/reforms/plans/{world['plan'].pk}/")
    page.get_by_role("link", name="更新进展").click()
    page.select_option("select[name=status]", "implemented")
    page.fill("textarea[name=evidence]", "出台实施方案并上线服务平台")
    page.click("main button[type=submit]")
    page.wait_for_selector("tr[data-status=implemented]")

    page.goto(f"{server.url}/reforms/innovations/new/")
    page.fill("input[name=title]", "跨境贸易“单一窗口”大湾区版")
    page.select_option("select[name=zone]", label="广东自贸试验区")
    page.fill("textarea[name=mechanism]", "港澳企业一次申报，三地口岸数据互认。")
    page.click("#innovation-form button[type=submit]")
    page.wait_for_selector("#state")
    page.click("#effects summary")
    page.fill("#effect-form input[name=measure]", "申报时间")
    page.fill("#effect-form input[name=before]", "72")
    page.fill("#effect-form input[name=after]", "37")
    page.fill("#effect-form input[name=unit]", "小时")
    page.click("#effect-form button[type=submit]")
    page.wait_for_selector("#effects li")
    for label in ["开始试点", "形成成果", "提交评审"]:
        step(page, label, f"进入{label}阶段")
    assert page.locator("#state").inner_text() == "已报送"
    innovation = Innovation.objects.get(title="跨境贸易“单一窗口”大湾区版")

    page.context.clear_cookies()
    sign_in(page, server, "nina")
    page.goto(f"{server.url}/accounts/notifications/")
    page.get_by_role("link", name="待评审：跨境贸易“单一窗口”大湾区版").click()
    for field in page.locator("#score-form input[type=number]").all():
        field.fill("88")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector("#total")
    assert page.locator("#total").inner_text() == "88.0"
    page.select_option("#lifecycle-actions select[name=selection]", "best_practice")
    step(page, "入选", "评审总分领先，可复制性强")
    assert page.locator("#state").inner_text() == "入选"
    innovation.refresh_from_db()
    assert (innovation.state, innovation.effects.get().change_pct) == ("selected", -48.61)

    page.goto(f"{server.url}/replication/items/{world['item'].code}/")
    assert "四川自贸试验区" in page.locator("#adoptions").inner_text()
    page.goto(f"{server.url}/replication/coverage/?batch=sc-5")
    assert "✓" in page.locator("#coverage").inner_text()
