"""Evidence files in a real browser: a zone office marks a task 已实施 with a file in the same
form, attaches a file to an innovation draft, and a reader downloads what they may see."""

import pytest

from tests.attachments import samples
from tests.browser.signin import sign_in
from tests.factories import person
from zimao.accounts.models import Role
from zimao.attachments.models import InnovationAttachment, TaskAttachment
from zimao.reforms.models import Innovation, PilotTask
from zimao.zones.models import Plan, Zone

pytestmark = [pytest.mark.browser]


@pytest.fixture
def world(loaded_live_server):
    guangdong = Zone.objects.get(code="guangdong")
    person("zoe", Role.ZONE, zone=guangdong)
    person("otto", Role.ZONE, zone=Zone.objects.get(code="sichuan"))
    plan = Plan.objects.filter(zone=guangdong).first()
    task = PilotTask.objects.create(plan=plan, number="8", text="推进跨境贸易单据电子化")
    draft = Innovation.objects.create(title="通关单据电子化草案", zone=guangdong)
    return {"plan": plan, "task": task, "draft": draft}


def test_evidence_files_on_a_task_and_an_innovation(loaded_live_server, world, page, tmp_path):
    server = loaded_live_server
    sign_in(page, server, "zoe")
    page.goto(f"{server.url}/reforms/tasks/{world['task'].pk}/edit/")
    page.select_option("select[name=status]", "implemented")
    page.click("main form button[type=submit]")
    assert "须有佐证" in page.inner_text("main")  # no text and no file: refused
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(samples.pdf())
    page.set_input_files("input[name=attachment]", str(evidence))
    page.select_option("select[name=status]", "implemented")
    page.click("main form button[type=submit]")
    page.wait_for_selector("tr[data-status=implemented]")
    link = page.locator(f"#task-{world['task'].pk} .attachment-links a")
    assert link.inner_text() == "验收报告.pdf"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "验收报告.pdf"
    assert TaskAttachment.objects.get(target=world["task"]).kind == "pdf"

    page.goto(f"{server.url}/reforms/innovations/{world['draft'].pk}/")
    disguised = tmp_path / "截图.png"
    disguised.write_bytes(samples.HTML)
    page.set_input_files("#attachments input[type=file]", str(disguised))
    page.click("#attachments button[type=submit]")
    assert "HTML" in page.inner_text(".message")
    notes = tmp_path / "说明.txt"
    notes.write_bytes(samples.TEXT)
    page.set_input_files("#attachments input[type=file]", str(notes))
    page.click("#attachments .attachment-upload button[type=submit]")
    page.wait_for_selector("#attachments .attachment-list a")
    assert page.inner_text("#attachments .attachment-list a") == "说明.txt"
    saved = InnovationAttachment.objects.get(target=world["draft"])

    page.context.clear_cookies()
    sign_in(page, server, "otto")
    response = page.request.get(f"{server.url}{saved.get_absolute_url()}")
    assert response.status == 404  # another zone's draft: its file does not exist for otto
