"""Alignment measures in a real browser: the Guangdong office finds a measure, records its
progress with evidence, and the national office sees it in the coverage matrix."""

import re

import pytest

from tests.browser.signin import sign_in
from tests.factories import person
from zimao.accounts.models import Role
from zimao.alignment.models import Batch, MeasureTask
from zimao.alignment.services import alignment_assign
from zimao.zones.models import Zone

pytestmark = [pytest.mark.browser]
MEASURE = "foreign-financial-new-services"


@pytest.fixture
def world(loaded_live_server):
    person("zoe", Role.ZONE, zone=Zone.objects.get(code="guangdong"))
    nina = person("nina", Role.NATIONAL)
    alignment_assign(user=nina, batch=Batch.objects.get(code="2023-first"))


def test_a_zone_records_a_measure_and_the_nation_sees_it(loaded_live_server, world, page):
    server = loaded_live_server
    sign_in(page, server, "zoe")
    page.get_by_role("link", name="对接措施", exact=True).first.click()
    page.wait_for_url("**/alignment/")
    assert "仅部分载入" in page.inner_text("#partial-note")
    page.fill("#measure-filters input[name=q]", "新金融服务")
    page.select_option("#measure-filters select[name=field]", "services_trade")
    page.click("#measure-filters button[type=submit]")
    page.wait_for_url(re.compile(r"[?&]q=%"))  # the words went with the field
    rows = page.locator("#measures tbody tr")
    assert rows.count() == 1
    rows.first.get_by_role("link").click()
    page.wait_for_url(f"**/alignment/2023-first/{MEASURE}/")
    page.locator("tr[data-zone=guangdong] a.record-progress").click()
    page.select_option("select[name=status]", "implemented")
    page.fill("textarea[name=evidence]", "首家外资银行开办同类新金融服务，已出具操作指引")
    page.click("main button[type=submit]")
    page.wait_for_selector(".message")
    task = MeasureTask.objects.get(measure__code=MEASURE, zone__code="guangdong").task
    assert task.status == "implemented" and task.status_changes.count() == 1

    page.context.clear_cookies()
    sign_in(page, server, "nina")
    page.goto(f"{server.url}/alignment/matrix/")
    row = page.locator(f"#alignment-matrix tr[data-measure={MEASURE}]")
    cell = row.locator("td[data-zone=guangdong]")
    assert cell.inner_text() == "✓" and cell.get_attribute("title") == "已实施"
    assert row.locator("td.tally").inner_text() == "1/6"
    assert row.locator("td[data-zone=shanghai]").inner_text() == "○"
    page.click(f"#alignment-matrix tr[data-measure={MEASURE}] a")
    assert "首家外资银行开办同类新金融服务" in page.inner_text("tr[data-zone=guangdong]")
