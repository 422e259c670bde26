"""A reviewer signs in, uploads a document, sees its facts highlighted and accepts one."""

import pytest

from tests.factories import person
from tests.text.builders import SAMPLE, make_pdf
from zimao.accounts.models import Role
from zimao.documents.models import Fact
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
