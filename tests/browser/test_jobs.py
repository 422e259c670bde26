"""An office uploads several files in Chromium: one job is queued, a real worker runs it, and
the job page follows it to the end by reloading itself (no script), with nothing refused by
the Content-Security-Policy."""

import pytest

from tests.browser.test_csp import violations_while_visiting
from tests.factories import person
from tests.test_jobs import BROKEN, run_worker, sample_files
from zimao.accounts.models import Role
from zimao.documents.models import Document
from zimao.jobs.models import Job
from zimao.zones.models import Zone

pytestmark = [pytest.mark.browser]


def test_several_files_become_one_job_whose_page_follows_it(
    loaded_live_server, page, tmp_path, settings
):
    var = tmp_path / "var"
    settings.MEDIA_ROOT, settings.JOBS_DIR = var / "media", var / "jobs"
    person("carol", Role.ZONE, zone=Zone.objects.get(code="guangdong"))
    paths = []
    for name, data in [*sample_files(2), ("损坏.pdf", BROKEN)]:
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    base = loaded_live_server.url
    page.goto(base + "/accounts/login/?next=/documents/upload/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", "pw-carol-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/upload/")
    page.set_input_files("#upload-form input[type=file]", [str(p) for p in paths])
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    assert "排队中" in page.locator("#job-progress").inner_text()

    run_worker(var)

    page.wait_for_selector("#job-progress:has-text('已完成')", timeout=60000)  # reloaded itself
    assert "3 / 3" in page.locator("#job-progress").inner_text()
    assert "PDF 文件已损坏或不完整。" in page.locator("#job-items").inner_text()
    assert Document.objects.count() == 3 and Job.objects.get().state == "done"
    refused = violations_while_visiting(page, base, ["/jobs/", page.url.removeprefix(base)])
    assert refused == []
