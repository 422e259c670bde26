"""A visitor types in the header search box and lands on highlighted results."""

import pytest

pytestmark = [pytest.mark.browser]


def test_the_header_box_finds_replication_items(loaded_live_server, page):
    page.goto(loaded_live_server.url + "/")
    page.fill("header input[name=q]", "公證")  # traditional input
    page.press("header input[name=q]", "Enter")
    page.wait_for_selector("#result-count")
    assert "已转换为简体" in page.locator("#result-count").inner_text()
    results = page.locator("li.result")
    assert results.count() >= 2
    assert "公证" in results.first.inner_text()


def test_no_results_suggest_something(loaded_live_server, page):
    page.goto(loaded_live_server.url + "/search/?q=负面清单测绘&kind=item")
    page.wait_for_selector("#result-count")
    assert page.locator("#no-results, li.result").count() >= 1


def test_relaxed_results_come_after_the_note(loaded_live_server, page):
    page.goto(loaded_live_server.url + "/search/?q=公证 机构&kind=item")
    page.wait_for_selector("#relaxed-note")
    strict = page.locator("ol.results:not(.relaxed) li.result")
    assert strict.count() == 1 and "推进合作制公证机构试点" in strict.first.inner_text()
    assert "以下结果为放宽匹配" in page.locator("#relaxed-note").inner_text()
    assert "公证“最多跑一次”" in page.locator("ol.relaxed").inner_text()
