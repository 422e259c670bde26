"""An enterprise demand's whole path in a real browser: an enterprise registers and is
verified, submits a demand with evidence; the area office accepts it and routes it to two
departments; one answers, the other's deadline passes and it shows on the workbench; the zone
asks the province for a power, which the province grants; the demand becomes an innovation,
whose page shows it. Days pass through settings.TODAY, never the clock."""

from datetime import date, timedelta
from typing import Any

import pytest

from tests.attachments import samples
from tests.browser.signin import sign_in
from tests.factories import person
from zimao.accounts.models import Role
from zimao.demands.creditcode import check_character
from zimao.demands.models import Assignment, AuthorityRequest, Demand, DepartmentContact
from zimao.reforms.models import ResponsibleUnit
from zimao.zones.models import Area, Zone

pytestmark = [pytest.mark.browser]
DAY = date(2026, 6, 1)


@pytest.fixture
def offices(loaded_live_server: Any) -> dict[str, Any]:
    guangdong = Zone.objects.get(code="guangdong")
    area = Area.objects.get(zone=guangdong, name_zh="前海蛇口片区")
    person("ada", Role.AREA, area=area)
    person("zoe", Role.ZONE, zone=guangdong)
    person("paul", Role.PROVINCIAL, province=guangdong.province)
    units = {}
    for name, unit_name in (("dora", "深圳市商务局"), ("dan", "深圳海关")):
        unit = ResponsibleUnit.objects.create(zone=guangdong, name=unit_name)
        DepartmentContact.objects.create(unit=unit, user=person(name))
        units[name] = unit
    return {"zone": guangdong, "area": area, "units": units}


def sign_out(page: Any) -> None:
    page.context.clear_cookies()


def credit_code() -> str:
    first17 = "91440300070004201"
    return first17 + check_character(first17)


def test_a_demand_from_registration_to_innovation(
    loaded_live_server, offices, page, settings, tmp_path
):
    server = loaded_live_server
    settings.TODAY = DAY

    # An enterprise registers itself and cannot submit before it is verified.
    page.goto(f"{server.url}/demands/register/")
    page.fill("input[name=name]", "前海跨境供应链有限公司")
    page.fill("input[name=credit_code]", credit_code())
    page.select_option("select[name=zone]", str(offices["zone"].pk))
    page.select_option("select[name=area]", str(offices["area"].pk))
    page.fill("input[name=contact_name]", "陈经理")
    page.fill("input[name=username]", "qhfirm")
    page.fill("input[name=email]", "chen@firm.example.cn")
    page.fill("input[name=password]", "Qianhai-firm-2026")
    page.click("#register-form button[type=submit]")
    page.wait_for_selector("#enterprise-status")
    assert "待核验" in page.inner_text("#enterprise-status")
    page.goto(f"{server.url}/demands/new/")
    assert page.is_visible("#unverified")
    sign_out(page)

    # The area office verifies it.
    sign_in(page, server, "ada")
    page.goto(f"{server.url}/demands/enterprises/")
    page.click(f"#enterprise-{credit_code()} button[type=submit]")
    page.wait_for_selector(".message")
    assert "已核验" in page.inner_text(".message")
    sign_out(page)

    # The enterprise submits its demand with evidence.
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", "qhfirm")
    page.fill("input[name=password]", "Qianhai-firm-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/workbench/")
    page.goto(f"{server.url}/demands/new/")
    page.fill("input[name=title]", "跨境电商退货仓出区手续繁琐")
    page.fill("input[name=industry]", "跨境电商")
    page.fill("textarea[name=problem]", "退货商品须逐票申报出区，单票办理需要两个工作日。")
    page.fill("textarea[name=blocker]", "区内退货须按一般贸易逐票报关的现行规定。")
    page.fill("textarea[name=change]", "允许退货商品集中申报、汇总征税。")
    page.fill("textarea[name=benchmark]", "新加坡对退货实行定期汇总申报。")
    evidence = tmp_path / "退货单证.pdf"
    evidence.write_bytes(samples.pdf())
    page.set_input_files("input[name=evidence]", str(evidence))
    page.click("#demand-form button[type=submit]")
    page.wait_for_selector("#demand-status")
    assert page.inner_text("#demand-status") == "待受理"
    assert page.inner_text("#attachments .attachment-list a") == "退货单证.pdf"
    demand = Demand.objects.get(title="跨境电商退货仓出区手续繁琐")
    sign_out(page)

    # The area office accepts it and routes it to two departments, due in five days.
    sign_in(page, server, "ada")
    page.goto(f"{server.url}/demands/{demand.pk}/")
    page.select_option("#triage-form select[name=decision]", "accept")
    page.click("#triage-form button[type=submit]")
    page.wait_for_selector("#demand-status[data-status=accepted]")
    for unit in offices["units"].values():
        page.check(f"#assign-form input[name=units][value='{unit.pk}']")
    page.fill("#assign-form input[name=due_date]", (DAY + timedelta(days=5)).isoformat())
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("#demand-status[data-status=assigned]")
    sign_out(page)

    # The commerce bureau answers; customs does not.
    sign_in(page, server, "dora")
    commerce = Assignment.objects.get(demand=demand, unit=offices["units"]["dora"])
    page.goto(f"{server.url}/demands/assignments/{commerce.pk}/")
    page.fill("#answer-form textarea[name=answer]", "支持在片区试行退货集中申报。")
    page.click("#answer-form button[type=submit]")
    page.wait_for_selector("#assignment-status[data-status=answered]")
    sign_out(page)

    # A week later, customs is overdue on the area office's workbench.
    settings.TODAY = DAY + timedelta(days=7)
    sign_in(page, server, "ada")
    page.goto(f"{server.url}/demands/workbench/")
    overdue = page.inner_text("#wb-demand-overdue")
    assert "深圳海关" in overdue and "逾期 2 天" in overdue and "深圳市商务局" not in overdue
    sign_out(page)

    # The zone asks the province for the power; the province grants it.
    sign_in(page, server, "zoe")
    page.goto(f"{server.url}/demands/{demand.pk}/")
    page.click("#escalate summary")
    page.select_option("#escalate-form select[name=level]", "provincial")
    page.fill("#escalate-form input[name=power]", "跨境电商退货汇总征税审批")
    page.fill("#escalate-form textarea[name=request]", "请授权前海片区先行试点汇总征税。")
    page.click("#escalate-form button[type=submit]")
    page.wait_for_selector("#authority-status[data-status=open]")
    item = AuthorityRequest.objects.get(demand=demand)
    sign_out(page)
    sign_in(page, server, "paul")
    page.goto(f"{server.url}/demands/powers/{item.pk}/")
    page.select_option("#authority-answer-form select[name=status]", "granted")
    page.fill("#authority-answer-form textarea[name=answer]", "同意在前海片区先行试点。")
    page.click("#authority-answer-form button[type=submit]")
    page.wait_for_selector("#authority-status[data-status=granted]")
    sign_out(page)

    # The zone turns the demand into an innovation, whose page shows the demand.
    sign_in(page, server, "zoe")
    page.goto(f"{server.url}/demands/{demand.pk}/")
    page.click("#promote summary")
    page.fill("#promote-form input[name=title]", "跨境电商退货集中申报")
    page.click("#promote-form button[type=submit]")
    page.wait_for_selector("#innovation-demands")
    assert "跨境电商退货仓出区手续繁琐" in page.inner_text("#innovation-demands")
    page.goto(f"{server.url}/reforms/innovations/?origin=demands")
    assert "跨境电商退货集中申报" in page.inner_text("main")
    sign_out(page)

    # The enterprise sees where its demand stands, including the power granted.
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", "qhfirm")
    page.fill("input[name=password]", "Qianhai-firm-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/workbench/")
    page.goto(f"{server.url}/demands/{demand.pk}/")
    assert "支持在片区试行退货集中申报" in page.inner_text("#answers")
    steps = page.inner_text("#steps")
    assert "已受理" in steps and "事权请求答复：同意" in steps and "转化为制度创新" in steps
