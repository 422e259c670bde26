"""The report editor on a phone (390×844): the page never scrolls sideways, whether the report
is a benchmark with wide tables and charts or a progress report."""

import os
from pathlib import Path
from typing import Any

import pytest

from tests.factories import person
from tests.indicators.helpers import PEERS, SUBJECT, import_sample, national
from zimao.accounts.models import Role
from zimao.reports.services import report_draft_save
from zimao.zones.models import Area

pytestmark = [pytest.mark.browser]
AREA = "成都天府新区片区"
SHOTS = Path(os.environ.get("ZIMAO_UI_SHOTS", "/tmp/ui-shots"))  # noqa: S108 - screenshots only


def overflow(page: Any) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"))


def test_the_report_editor_fits_a_phone(loaded_live_server: Any, page: Any) -> None:
    import_sample(national())
    office = person("alan", Role.AREA, area=Area.objects.get(name_zh=AREA))
    benchmark = report_draft_save(
        user=office, title="成都天府新区片区对标分析报告", subject=SUBJECT, peers=PEERS, year=2023
    )
    progress = report_draft_save(
        user=office, kind="progress", title="成都天府新区片区2025年11月工作进展",
        subject=f"area:{AREA}", year=2025, period="2025-11",
    )  # fmt: skip
    refused: list[str] = []  # what the Content-Security-Policy blocked (inline style, …)
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.set_viewport_size({"width": 390, "height": 844})
    server = loaded_live_server.url
    page.goto(server + "/accounts/login/")
    page.fill("input[name=username]", "alan")
    page.fill("input[name=password]", "pw-alan-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/workbench/")
    for path in (
        f"/reports/{benchmark.pk}/",
        f"/reports/{progress.pk}/",
        "/reports/progress/",
        "/reports/",
    ):
        page.goto(server + path)
        page.wait_for_selector("main h1")
        assert overflow(page) <= 0, f"{path} scrolls sideways by {overflow(page)}px at 390 px"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"report-phone-{path.strip('/').replace('/', '-')}.png"))
    assert refused == []
    page.goto(server + f"/reports/{benchmark.pk}/")
    assert page.locator("#report-body table").first.is_visible()
