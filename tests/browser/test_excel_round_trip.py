"""A zone office's month in Excel, in a real browser: download the plan's task list, fill in
progress and evidence with openpyxl, upload it again, read the preview, confirm, and see the
statuses and the implementation rate change."""

import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.signin import sign_in
from tests.factories import make_cast
from tests.pages import problems
from tests.world import make_world
from zimao.audit.models import AuditEvent
from zimao.reforms.models import PilotTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(loaded_live_server: Any) -> Any:
    world = make_world(make_cast())
    world.records["server"] = loaded_live_server
    return world


def test_a_month_of_progress_goes_out_and_back_in_excel(
    world: Any, page: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    server, plan = world.records["server"], world.records["plan"]
    sign_in(page, server, "zoe")
    page.goto(f"{server.url}/reforms/plans/{plan.pk}/")
    assert "2 / 4" in page.inner_text("#plan-rate")  # G-1 and G-3 implemented
    with page.expect_download() as download:
        page.click("#export-xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) + 1 for name in ("编号", "任务内容", "状态", "进展与佐证")}
    lines = {sheet.cell(row=r, column=column["编号"]).value: r for r in range(2, sheet.max_row + 1)}
    assert set(lines) == {"G-1", "G-2", "G-3", "G-4"}
    sheet.cell(row=lines["G-2"], column=column["状态"], value="已完成")
    sheet.cell(row=lines["G-2"], column=column["进展与佐证"], value="单一窗口已覆盖全部口岸")
    sheet.cell(row=lines["G-4"], column=column["状态"], value="进行中")
    new = sheet.max_row + 1
    sheet.cell(row=new, column=column["编号"], value="G-5")
    sheet.cell(row=new, column=column["任务内容"], value="推动跨境理财通业务扩容")
    sheet.cell(row=new, column=column["状态"], value="已实施")
    sheet.cell(row=new, column=column["进展与佐证"], value="首批业务已落地")
    sheet.cell(row=lines["G-4"], column=header.index("完成时限") + 1, value="2026年9月30日")
    sheet.cell(row=1, column=len(header) + 1, value="备注")  # a column Zimao does not know
    path = tmp_path / "试点任务-已填写.xlsx"
    book.save(path)

    page.goto(f"{server.url}/reforms/plans/{plan.pk}/")
    page.get_by_role("link", name="从 CSV / XLSX 导入试点任务").click()
    page.set_input_files("#import-upload input[type=file]", str(path))
    page.click("#import-upload button[type=submit]")
    counts = page.inner_text("#import-counts")
    assert "新增 1 项" in counts and "更新 2 项" in counts and "不变 2 项" in counts
    assert "备注" in page.inner_text("#import-notes")
    g2 = page.locator("#import-preview tr[data-number='G-2']")
    assert g2.get_attribute("data-action") == "updated"
    assert "已实施" in g2.inner_text() and "单一窗口已覆盖全部口岸" in g2.inner_text()
    assert not problems(page.inner_text("body"))
    assert PilotTask.objects.get(plan=plan, number="G-2").status == "in_progress"  # not yet
    page.click("#import-confirm button")
    page.wait_for_selector(".message-success")
    assert "新增 1 项，更新 2 项" in page.inner_text(".message-success")
    assert "4 / 5" in page.inner_text("#plan-rate")
    statuses = dict(PilotTask.objects.filter(plan=plan).values_list("number", "status"))
    assert statuses == {
        "G-1": "implemented",
        "G-2": "implemented",
        "G-3": "implemented",
        "G-4": "in_progress",
        "G-5": "implemented",
    }
    assert AuditEvent.objects.filter(action="import").count() == 3
    assert str(PilotTask.objects.get(plan=plan, number="G-4").due_date) == "2026-09-30"
    rows = page.locator("#tasks tbody tr")
    assert "单一窗口已覆盖全部口岸" in rows.filter(has_text="G-2").inner_text()
