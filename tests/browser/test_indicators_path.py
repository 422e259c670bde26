"""In a real browser: a national office imports the sample indicator file, benchmarks an area
against three peers, reads the index and its explanation, and an area office writes the
report and downloads it as PDF and Word."""

import pytest

from tests.browser.signin import sign_in
from tests.indicators.helpers import SAMPLE, area_office, national

pytestmark = [pytest.mark.browser]


def test_import_benchmark_index_report(loaded_live_server, page):
    server = loaded_live_server
    national("nina")
    area_office("成都天府新区片区", "alan")
    sign_in(page, server, "nina")

    page.goto(server.url + "/indicators/")
    page.click("#import-link")
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.click("#import-upload button[type=submit]")
    page.wait_for_selector("#import-preview")
    assert page.locator("#import-preview tbody tr").count() == 330
    assert page.locator("#import-preview .badge", has_text="未知").count() == 2
    page.click("#import-confirm button")
    page.wait_for_selector(".message-success")
    assert "新增 330 条" in page.inner_text(".message-success")

    page.goto(server.url + "/indicators/benchmark/")
    page.select_option("#subject", "area:成都天府新区片区")
    page.select_option("#peers", ["area:南沙片区", "area:前海蛇口片区", "area:两江片区"])
    page.click("#benchmark-run")
    page.wait_for_selector("#benchmark-table")
    assert "实际使用外资占所在市比重低于对标片区均值" in page.inner_text("#gaps")
    headers = page.locator("#benchmark-table thead th").all_inner_texts()
    assert headers[1:] == ["成都天府新区片区", "南沙片区", "前海蛇口片区", "两江片区"]
    for chart in ("#chart-series", "#chart-bars", "#chart-radar"):
        page.wait_for_selector(f"{chart}[data-rendered=true]")

    page.goto(server.url + "/indicators/index/?kind=area&year=2023")
    page.wait_for_selector("#chart-index[data-rendered=true]")
    first = page.locator("#scores tbody tr").first
    assert first.locator("td").first.inner_text() == "1"
    first.get_by_role("link", name="得分构成").click()
    page.wait_for_selector("#explain-table")
    assert "样例数据" in page.inner_text("#explain-table")
    page.click("#edit-index")
    page.fill("input[name=w-trade]", "3")
    page.fill("input[name=note]", "贸易维度加权")
    page.click("#index-save")
    page.wait_for_selector(".message-success")
    assert "第 2 版" in page.inner_text(".message-success")

    page.context.clear_cookies()
    sign_in(page, server, "alan")
    page.goto(
        server.url + "/indicators/benchmark/?kind=area&subject=area:成都天府新区片区&year=2023"
        "&peers=area:南沙片区&peers=area:前海蛇口片区&peers=area:两江片区"
    )
    page.click("#make-report")
    page.click("#report-create")
    page.wait_for_selector("#report-sections")
    page.fill("#section-suggestions", "建议对标前海蛇口片区，扩大跨境人民币业务。")
    page.click("#report-save")
    page.wait_for_selector(".message-success")
    assert "扩大跨境人民币业务" in page.inner_text("#report-body")
    # Fetched with the page's session: a click that turns into a download counts as an
    # aborted request in Chromium.
    pdf = page.request.get(server.url + page.get_attribute("#export-pdf", "href"))
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    assert pdf.headers["content-type"] == "application/pdf"
    word = page.request.get(server.url + page.get_attribute("#export-docx", "href"))
    assert word.ok and word.body()[:2] == b"PK"
