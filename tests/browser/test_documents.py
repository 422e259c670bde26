"""A reviewer signs in, uploads a document, follows its import job, sees its facts highlighted
and accepts one; a long document is paged, filtered and accepted in bulk by its filter."""

import re

import pytest

from tests.documents.long import long_report
from tests.factories import person, run_queued_jobs
from tests.text.builders import SAMPLE, make_pdf
from zimao.accounts.models import Role
from zimao.audit.models import AuditEvent
from zimao.documents.analysis import analyse_bytes
from zimao.documents.models import Fact
from zimao.documents.services import document_store
from zimao.zones.models import Zone

pytestmark = [pytest.mark.browser]


@pytest.fixture
def reviewer(loaded_live_server):
    """Carol runs the Guangdong zone office: she uploads and reviews her zone's documents."""
    return person("carol", Role.ZONE, zone=Zone.objects.get(code="guangdong"))


def test_upload_review_and_accept(loaded_live_server, reviewer, page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = tmp_path / "简报.pdf"
    pdf.write_bytes(make_pdf([SAMPLE.splitlines()]))
    page.goto(loaded_live_server.url + "/documents/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "pw-carol-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/")
    page.click("summary")
    page.set_input_files("#upload-form input[type=file]", str(pdf))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")  # the answer comes at once; the worker reads the file
    run_queued_jobs()
    page.wait_for_selector("#job-progress:has-text('已完成')", timeout=30000)  # reloaded itself
    assert "已导入，共提取" in page.locator("#job-message").inner_text()
    page.click("#job-result")
    page.wait_for_selector("#doc-text mark.f-zone")
    assert "前海蛇口片区" in page.locator("#doc-text").inner_text()
    first = page.locator("#facts article.fact").first
    fact_id = int(first.get_attribute("id").removeprefix("fact-"))
    first.get_by_role("button", name="采纳").click()
    page.wait_for_selector(f"#fact-{fact_id}[data-state=accepted]")
    assert Fact.objects.get(pk=fact_id).state == "accepted"


def test_an_oversized_upload_shows_a_message(
    loaded_live_server, reviewer, page, tmp_path, settings
):
    settings.MAX_UPLOAD_MB = 1
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (1024 * 1024 + 10))
    page.goto(loaded_live_server.url + "/accounts/login/?next=/documents/upload/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "pw-carol-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/upload/")
    page.set_input_files("#upload-form input[type=file]", str(big))
    page.click("#upload-form button[type=submit]")
    assert "文件过大" in page.locator("#upload-error").inner_text()


def test_a_long_document_is_paged_filtered_and_accepted_in_bulk(
    loaded_live_server, reviewer, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    text, count = long_report(1278)
    data = text.encode()
    document = document_store(
        analysis=analyse_bytes("长篇报告.txt", data), data=data, user=reviewer
    ).document
    page.goto(f"{loaded_live_server.url}/accounts/login/?next={document.get_absolute_url()}")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "pw-carol-123")
    page.click("main button[type=submit]")
    page.wait_for_selector("#facts")
    assert page.locator("#facts article.fact").count() == 50
    assert f"共 {count} 条事实" in page.locator("#fact-count").inner_text()

    page.select_option("#fact-filter select[name=type]", "zone")
    page.select_option("#fact-filter select[name=state]", "pending")
    page.click("#fact-filter button[type=submit]")
    page.wait_for_url(re.compile(r"type=zone"))
    zones = document.facts.filter(type="zone")
    total = zones.count()
    assert f"符合筛选 {total} 条" in page.locator("#fact-count").inner_text()
    types = page.eval_on_selector_all("#facts article.fact", "els => els.map(e => e.dataset.type)")
    assert set(types) == {"zone"} and len(types) == min(50, total)
    assert total > 50  # the filtered facts span pages too
    page.locator("#facts nav.pager").get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "type=zone" in page.url and "state=pending" in page.url  # the pager keeps the filter

    page.get_by_role("button", name="采纳全部符合筛选的").click()
    page.wait_for_selector("#bulk-summary")
    summary = page.locator("#bulk-summary").inner_text()
    assert re.search(rf"将采纳符合筛选（类型：自贸试验区；状态：待审核）的 {total} 条事实", summary)
    page.click("#bulk-confirm-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    run_queued_jobs()
    page.wait_for_selector("#job-progress:has-text('已完成')", timeout=30000)  # reloaded itself
    assert page.locator("#job-message").inner_text() == f"已采纳 {total} 条事实。"
    page.click("#job-result")
    page.wait_for_selector("#fact-count")
    assert "没有符合筛选的事实" in page.locator("#facts").inner_text()  # none pending now
    assert set(zones.values_list("state", flat=True)) == {"accepted"}
    assert document.facts.exclude(type="zone").filter(state="accepted").count() == 0
    events = AuditEvent.objects.filter(record_type="documents.fact", action="fact_accept")
    assert events.count() == total
