"""Each role's working day in a real browser, on a phone (390 px) and a laptop (1366 px): sign
in, land on the workbench, open every link the workbench and the menu offer. No link ends in
403 or 404, no page shows a code, a Python repr or English, none scrolls sideways."""

import io
import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.signin import sign_in
from tests.factories import make_cast
from tests.pages import problems
from tests.world import make_world
from zimao.documents.models import Fact
from zimao.reforms.models import Effect, Innovation, PilotTask, ResponsibleUnit

pytestmark = [pytest.mark.browser]
SHOTS = Path(os.environ.get("ZIMAO_UI_SHOTS", "/tmp/ui-shots"))  # noqa: S108 - screenshots only
ROLES = ["rita", "ada", "zoe", "otto", "paul", "nina"]
WIDTHS = [1366, 390]


@pytest.fixture
def day(loaded_live_server: Any) -> Any:
    """The shared cast and a day's records (tests/world.py), on the live server."""
    world = make_world(make_cast())
    world.records["server"] = loaded_live_server
    return world


def check(page: Any, where: str) -> None:
    """The page reads in Chinese and fits the window."""
    text = page.inner_text("body")
    found = problems(text)
    assert not found, f"{where}: {found[:5]}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"


def offered_links(page: Any, server: Any) -> list[str]:
    """Every internal page the menu and the main area link to (downloads aside)."""
    hrefs = page.eval_on_selector_all(
        ".site-menu a, main a", "els => els.map(e => e.getAttribute('href'))"
    )
    out: list[str] = []
    for href in hrefs:
        if not href or not href.startswith("/") or "format=" in href:
            continue
        url = href.split("#")[0]
        if url not in out:
            out.append(url)
    return out


def open_menu_if_folded(page: Any) -> None:
    if page.is_visible(".menu-button"):
        assert not page.is_visible(".site-menu"), "the menu starts folded on a phone"
        page.click(".menu-button")
        page.wait_for_selector(".site-menu", state="visible")


@pytest.mark.parametrize("who", ROLES)
def test_a_day_from_the_workbench(day: Any, page: Any, who: str) -> None:
    """Each page is loaded once, on the phone, and checked there and again with the window
    widened to the laptop: the text is the same, the layout is what differs. (Loaded narrow
    first, since a chart drawn for a wide window shrinks only once its resize handler runs.)"""
    server = day.records["server"]
    phone, laptop = min(WIDTHS), max(WIDTHS)
    page.set_viewport_size({"width": phone, "height": 900})
    sign_in(page, server, who)
    identity = page.inner_text("#identity")
    assert identity.startswith(who) and "·" in identity
    page.wait_for_selector("#wb-notifications")
    if page.locator("[data-chart]").count():
        page.wait_for_selector("[data-chart][data-rendered=true] canvas")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (phone, laptop):
        page.set_viewport_size({"width": width, "height": 900})
        check(page, f"{who} workbench at {width} px")
        page.screenshot(path=str(SHOTS / f"workbench-{who}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": phone, "height": 900})
    open_menu_if_folded(page)
    links = offered_links(page, server)
    assert "/reforms/implementation/" in links and "/replication/coverage/" in links
    for url in links:
        page.set_viewport_size({"width": phone, "height": 900})
        response = page.goto(server.url + url)
        assert response is not None and response.status == 200, f"{who} {url}: {response.status}"
        if url.startswith("/api/docs"):
            page.wait_for_selector(".swagger-ui .info .title")
            continue
        check(page, f"{who} {url} at {phone} px")
        page.set_viewport_size({"width": laptop, "height": 900})
        check(page, f"{who} {url} at {laptop} px")


def test_the_menu_offers_only_what_each_role_may_use(day: Any, page: Any) -> None:
    server = day.records["server"]
    menus = {}
    for who in ("rita", "zoe", "nina"):
        page.context.clear_cookies()
        sign_in(page, server, who)
        menus[who] = page.eval_on_selector_all(".site-menu a", "els => els.map(e => e.textContent)")
    assert "评选排名" in menus["nina"] and "评选排名" not in menus["zoe"]
    assert "文档" in menus["rita"] and "审计日志" in menus["zoe"]
    page.context.clear_cookies()
    page.goto(server.url + "/")
    public = page.eval_on_selector_all(".site-menu a", "els => els.map(e => e.textContent)")
    assert "文档" not in public and "审计日志" not in public and "工作台" not in public


def test_an_effect_is_refused_once_then_recorded_once(day: Any, page: Any) -> None:
    server, draft = day.records["server"], day.records["draft"]
    sign_in(page, server, "zoe")
    page.goto(f"{server.url}/reforms/innovations/{draft.pk}/")
    page.click("#effects summary")
    page.fill("#effect-form input[name=measure]", "申报材料")
    page.fill("#effect-form input[name=before]", "12")
    page.fill("#effect-form input[name=after]", "-3")
    page.fill("#effect-form input[name=unit]", "份")
    page.click("#effect-form button[type=submit]")
    error = page.locator("#effect-form .error")
    assert "数值不能为负" in error.inner_text()
    assert "改革后" in page.locator("#effect-form label", has=page.locator(".error")).inner_text()
    assert page.input_value("#effect-form input[name=measure]") == "申报材料"
    assert page.input_value("#effect-form input[name=after]") == "-3"
    page.fill("#effect-form input[name=after]", "4")
    page.click("#effect-form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "申报材料" in page.inner_text("#effects")
    assert Effect.objects.filter(innovation=draft, measure="申报材料").count() == 1


def test_tasks_are_imported_from_a_chinese_xlsx(day: Any, page: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    server, plan = day.records["server"], day.records["plan"]
    sign_in(page, server, "zoe")
    page.goto(f"{server.url}/reforms/plans/{plan.pk}/")
    page.get_by_role("link", name="从 CSV / XLSX 导入试点任务").click()
    with page.expect_download() as template:
        page.click("#import-templates a:text('XLSX')")
    header = _rows(template.value.path())[0]
    assert header == [
        "编号", "任务内容", "领域", "片区", "责任单位", "完成时限", "状态", "进展与佐证"
    ]  # fmt: skip
    for name in ("金融局", "商务局"):  # the zone's catalogue of responsible units
        ResponsibleUnit.objects.get_or_create(zone=plan.zone, name=name)
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    sheet.append(
        [
            "G-10",
            "推进航运金融创新",
            "金融开放创新",
            "前海蛇口片区",
            "金融局",
            "2026-12-31",
            "推进中",
        ]
    )
    sheet.append(
        ["G-11", "建设跨境数据服务平台", "贸易便利化", "", "商务局", "", "已实施", "已上线"]
    )
    path = tmp_path / "任务清单.xlsx"
    book.save(path)
    page.set_input_files("#import-upload input[type=file]", str(path))
    page.click("#import-upload button[type=submit]")
    preview = page.locator("#import-preview")
    assert preview.locator("th").all_inner_texts()[:3] == ["行", "编号", "变化"]
    assert "推进中" in preview.inner_text() and "金融开放创新" in preview.inner_text()
    page.click("#import-confirm button")
    page.wait_for_selector(".message-success")
    imported = PilotTask.objects.filter(plan=plan, number__in=["G-10", "G-11"])
    assert sorted(imported.values_list("status", flat=True)) == ["implemented", "in_progress"]
    g10 = imported.get(number="G-10")
    assert str(g10.due_date) == "2026-12-31" and [u.name for u in g10.units.all()] == ["金融局"]
    check(page, "plan after import")


def _rows(path: Any) -> list[list[Any]]:
    from openpyxl import load_workbook

    data = Path(path).read_bytes()
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_lists_download_as_xlsx_with_chinese_headers(day: Any, page: Any) -> None:
    server = day.records["server"]
    sign_in(page, server, "zoe")
    page.goto(server.url + "/reforms/innovations/")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    rows = _rows(download.value.path())
    assert rows[0][:5] == ["标题", "自贸试验区", "片区", "领域", "状态"]
    titles = {r[0] for r in rows[1:]}
    assert "中欧班列运单物权化" not in titles  # another zone's draft stays out
    assert {"跨境贸易单一窗口大湾区版", "前海深港跨境执业备案制"} <= titles
    page.goto(server.url + "/replication/coverage/?batch=sc-5")
    with page.expect_download() as coverage:
        page.click("#export-xlsx")
    matrix = _rows(coverage.value.path())
    assert matrix[0][:3] == ["改革事项", "批次", "上海自贸试验区"]
    assert any("已落地" in row for row in matrix[1:])


def test_a_document_is_reviewed_with_the_typed_form(day: Any, page: Any) -> None:
    server, document = day.records["server"], day.records["document"]
    sign_in(page, server, "zoe")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{server.url}/documents/{document.pk}/")
    check(page, "document")
    date = document.facts.get(type="date")
    card = page.locator(f"#fact-{date.pk}")
    assert "日期" in card.inner_text() and "2019-08" in card.inner_text()
    card.locator("summary").click()
    card.locator(f"input[name='fact-{date.pk}-date']").fill("2019-02-30")
    card.get_by_role("button", name="保存更正").click()
    card = page.locator(f"#fact-{date.pk}")
    assert "日期不存在" in card.locator("label:has(.error)").inner_text()
    assert card.locator(f"input[name='fact-{date.pk}-date']").input_value() == "2019-02-30"
    card.locator(f"input[name='fact-{date.pk}-date']").fill("2019-08-26")
    card.get_by_role("button", name="保存更正").click()
    page.wait_for_selector(f"#fact-{date.pk}[data-state=corrected]")
    date.refresh_from_db()
    assert (date.state, date.payload["date"]) == ("corrected", "2019-08-26")
    quantity = document.facts.get(type="quantity")
    card = page.locator(f"#fact-{quantity.pk}")
    assert "数量" in card.inner_text() and "72" in card.inner_text()
    card.locator("summary").click()
    card.locator(f"input[name='fact-{quantity.pk}-value']").fill("70")
    card.get_by_role("button", name="保存更正").click()
    page.wait_for_selector(f"#fact-{quantity.pk}[data-state=corrected]")
    quantity.refresh_from_db()
    assert (quantity.state, quantity.payload["value"]) == ("corrected", 70)
    zone, date = document.facts.get(text="四川自贸试验区"), document.facts.get(type="effect")
    page.check(f"input[name=facts][value='{zone.pk}']")
    page.check(f"input[name=facts][value='{date.pk}']")
    page.click("#bulk-form button[value=accept]")
    page.wait_for_selector(".message-success")
    assert set(Fact.objects.filter(pk__in=[zone.pk, date.pk]).values_list("state", flat=True)) == {
        "accepted"
    }


def test_the_api_docs_render_with_the_network_cut_off(loaded_live_server: Any, page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(loaded_live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Zimao API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")
    assert all(url.startswith(loaded_live_server.url) for url in requests), requests


def test_an_innovation_submitted_reaches_the_deciders_workbench(day: Any, page: Any) -> None:
    server, draft = day.records["server"], day.records["submitted"]
    sign_in(page, server, "paul")
    waiting = page.inner_text("#wb-waiting")
    assert draft.title in waiting and "已评分" not in waiting.split(draft.title)[1][:20]
    assert Innovation.objects.get(pk=draft.pk).state == "submitted"
    assert page.inner_text("#unread") == "1"
    page.click(f"#wb-notifications a:has-text('{draft.title}')")
    page.wait_for_url(f"**/reforms/innovations/{draft.pk}/")
    page.goto(server.url + "/workbench/")
    assert page.locator("#unread").count() == 0  # opened, so read


@pytest.mark.parametrize("width", WIDTHS)
def test_a_visitor_reaches_every_public_page_from_the_menu(day: Any, page: Any, width: int) -> None:
    server = day.records["server"]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url + "/")
    check(page, "home")
    open_menu_if_folded(page)
    links = [u for u in offered_links(page, server) if not u.startswith("/accounts/")]
    assert "/workbench/" not in links and "/documents/" not in links
    for url in links:
        response = page.goto(server.url + url)
        assert response is not None and response.status == 200, f"public {url}"
        if url.startswith("/api/docs"):
            page.wait_for_selector(".swagger-ui .info .title")
            continue
        check(page, f"public {url}")


def test_on_a_phone_tables_scroll_inside_and_keep_their_first_column(day: Any, page: Any) -> None:
    server, plan = day.records["server"], day.records["plan"]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, "zoe")
    page.goto(server.url + "/replication/coverage/?batch=sc-5")
    check(page, "coverage")
    wrap = page.locator(".coverage-wrap")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the matrix scrolls, the page not
    wrap.evaluate("e => { e.scrollLeft = 400; e.scrollTop = 300; }")
    first = page.locator("#coverage tbody tr:nth-child(3) td:first-child")
    header = page.locator("#coverage thead th:nth-child(2)")
    assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert first.bounding_box()["x"] < 30  # still at the left edge after scrolling right
    assert header.bounding_box()["y"] >= wrap.bounding_box()["y"] - 1  # header stays on top
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "coverage-390.png"))
    page.goto(f"{server.url}/reforms/plans/{plan.pk}/")
    check(page, "plan")
    task = page.locator("#tasks tbody tr").first
    action = task.locator(".task-actions a").first
    box, text = action.bounding_box(), task.locator(".task-text").bounding_box()
    assert box["x"] + box["width"] <= 390 and text["width"] > 250  # readable, reachable
    page.screenshot(path=str(SHOTS / "plan-390.png"), full_page=True)


def test_the_phone_menu_is_a_few_sections_that_open_one_at_a_time(day: Any, page: Any) -> None:
    server = day.records["server"]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, "nina")
    open_menu_if_folded(page)
    titles = page.locator(".menu-section-title")
    assert titles.count() == 5
    height = page.evaluate("document.querySelector('.site-menu').getBoundingClientRect().height")
    assert height < 844 / 2, f"the opened menu is {height}px tall"
    assert page.is_visible("a[href='/workbench/']")  # the page's own section starts open
    assert not page.is_visible(".site-menu a[href='/indicators/benchmark/']")
    page.click(".menu-section-title:text-is('数据')")
    page.wait_for_selector(".site-menu a[href='/indicators/benchmark/']", state="visible")
    page.click(".site-menu a[href='/indicators/benchmark/']")
    page.wait_for_url("**/indicators/benchmark/")
    check(page, "benchmark from the phone menu")
