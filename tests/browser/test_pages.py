"""A real Chromium loads the dashboard and a zone page and sees the data."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]
SHOTS = Path(os.environ.get("ZIMAO_SCREENSHOTS", "test-results"))


def test_the_dashboard_renders_counts_and_charts(loaded_live_server, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(loaded_live_server.url + "/")
    assert page.locator("#count-zones").inner_text() == "22"
    page.wait_for_selector("#negative-list-chart[data-rendered=true] canvas")
    page.wait_for_selector("[data-kind=timeline][data-rendered=true] canvas")
    assert all(url.startswith(loaded_live_server.url) for url in requests), "no external requests"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)


def test_a_visitor_goes_from_the_dashboard_to_a_zone(loaded_live_server, page):
    page.goto(loaded_live_server.url + "/")
    page.get_by_role("link", name="广东自贸试验区").first.click()
    page.wait_for_url("**/zones/guangdong/")
    assert "中国（广东）自由贸易试验区" in page.locator("h1").inner_text()
    areas = page.locator("#areas tbody tr")
    assert areas.count() == 3
    assert "前海蛇口" in page.locator("#areas").inner_text()


def test_pages_fit_a_phone_screen(loaded_live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ["/", "/zones/shanghai/", "/replication/items/"]:
        page.goto(loaded_live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "items-phone.png"), full_page=True)


def test_the_language_switch_shows_english(loaded_live_server, page):
    page.goto(loaded_live_server.url + "/zones/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert "Pilot Free Trade Zones" in page.locator("h1").inner_text()
