"""Importing a plan's pilot tasks: validation, preview, then all rows or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.factories import person
from zimao.accounts.models import Role
from zimao.audit.models import AuditEvent
from zimao.reforms.imports import parse_tasks
from zimao.reforms.models import PilotTask, ResponsibleUnit
from zimao.zones.models import Plan, Zone

pytestmark = pytest.mark.django_db

GOOD = (
    "number,text,domain,responsible_units,status,evidence\n"
    "1,深化商事登记确认制改革,investment,市场监管局,implemented,已印发实施细则\n"
    "2,推进国际贸易单一窗口功能拓展,trade,商务局,in_progress,\n"
    "3,探索跨境数据流动试点,,网信办,,\n"
)


def xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan():
    zone = Zone.objects.get(code="jiangsu")
    for name in ("市场监管局", "商务局", "网信办"):
        ResponsibleUnit.objects.create(zone=zone, name=name)
    return Plan.objects.filter(zone=zone).first()


@pytest.fixture
def office():
    user = person("zoe", Role.ZONE, zone=Zone.objects.get(code="jiangsu"))
    return user


def test_csv_in_utf8_or_gb18030_and_xlsx_parse_alike(plan):
    rows = parse_tasks("t.csv", GOOD.encode(), plan).rows
    assert parse_tasks("t.csv", GOOD.encode("gb18030"), plan).rows == rows
    chinese = GOOD.replace(
        "number,text,domain,responsible_units,status,evidence",
        "编号,任务内容,领域,责任单位,状态,进展与佐证",
    )
    chinese = chinese.replace("implemented", "已实施").replace("in_progress", "推进中")
    chinese = chinese.replace("investment", "投资便利化")
    assert parse_tasks("t.csv", chinese.encode(), plan).rows == rows
    table = [line.split(",") for line in GOOD.strip().splitlines()]
    assert parse_tasks("t.xlsx", xlsx(table), plan).rows == rows
    assert rows[2]["action"] == "new"
    assert rows[2]["values"] == {
        "text": "探索跨境数据流动试点",
        "domain": None,
        "units": [ResponsibleUnit.objects.get(name="网信办").pk],
        "status": "not_started",
        "evidence": "",
    }


def test_units_and_due_dates_are_read_with_suggestions(plan):
    good = "编号,任务内容,责任单位,完成时限\n1,任务一,商务局、网信办,2025年6月30日\n2,任务二,,\n"
    rows = parse_tasks("t.csv", good.encode(), plan).rows
    ids = sorted(
        ResponsibleUnit.objects.filter(name__in=["商务局", "网信办"]).values_list("pk", flat=True)
    )
    assert rows[0]["values"]["units"] == ids
    assert rows[0]["values"]["due_date"] == "2025-06-30"
    assert rows[1]["values"]["units"] == [] and rows[1]["values"]["due_date"] is None
    bad = "编号,任务内容,责任单位,完成时限\n1,任务一,商务厅,2025年6月\n"
    errors = parse_tasks("t.csv", bad.encode(), plan).errors
    assert errors[0] == "第 2 行「责任单位」：“商务厅”不在本试验区的责任单位名录中，是否指：商务局"
    assert errors[1] == "第 2 行「完成时限」：请填写完整的年月日，如 2025-12-31"


def test_every_problem_is_reported_by_line(plan):
    bad = "number,text,domain,status\n1,任务,astrology,done\n2,,trade,\n2,重复,trade,\n"
    errors = parse_tasks("t.csv", bad.encode(), plan).errors
    assert errors[0].startswith("第 2 行「领域」：未知的领域“astrology”")
    assert any(e.startswith("第 2 行「状态」：未知的状态“done”") for e in errors)
    assert "第 3 行「任务内容」：必填" in errors
    assert "第 4 行「编号」：与第 3 行编号重复" in errors
    header = parse_tasks("t.csv", b"colour,size\nred,1\n", plan).errors[0]
    assert header.startswith("第 1 行（表头）") and "编号" in header
    assert "无法读取该 XLSX" in parse_tasks("t.xlsx", b"PK\x03\x04junk", plan).errors[0]


def test_preview_then_confirm_on_the_page(client, office, plan):
    client.force_login(office)
    url = f"/reforms/plans/{plan.pk}/import/"
    # 已实施 with no evidence is a conflict, with its reason, and nothing can be confirmed
    bare = GOOD.replace("已印发实施细则", "")
    refused = client.post(url, {"file": SimpleUploadedFile("tasks.csv", bare.encode())})
    assert refused.status_code == 400 and 'id="import-confirm"' not in refused.content.decode()
    assert "第 2 行：任务 1 标记为“已实施”须有佐证" in refused.content.decode()
    client.post(url, {"confirm": "1"})
    assert not PilotTask.objects.filter(plan=plan).exists()
    preview = client.post(url, {"file": SimpleUploadedFile("tasks.csv", GOOD.encode())})
    assert preview.status_code == 200 and 'id="import-confirm"' in preview.content.decode()
    assert not PilotTask.objects.filter(plan=plan).exists()
    client.post(url, {"confirm": "1"})
    assert PilotTask.objects.filter(plan=plan).count() == 3
    assert PilotTask.objects.get(plan=plan, number="1").status == "implemented"


def test_a_file_with_errors_imports_nothing(client, office, plan):
    client.force_login(office)
    url = f"/reforms/plans/{plan.pk}/import/"
    bad = GOOD + "4,,trade,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("tasks.csv", bad.encode())})
    assert response.status_code == 400 and "第 5 行「任务内容」：必填" in response.content.decode()
    client.post(url, {"confirm": "1"})
    assert not PilotTask.objects.filter(plan=plan).exists()


def test_another_zone_cannot_import(client, plan):
    other = person("sam", Role.ZONE, zone=Zone.objects.get(code="sichuan"))
    client.force_login(other)
    assert client.get(f"/reforms/plans/{plan.pk}/import/").status_code == 403


def test_the_command_validates_then_imports(tmp_path, plan, capsys):
    path = tmp_path / "tasks.csv"
    path.write_text(GOOD, "utf-8")
    call_command("import_tasks", str(path), "--plan", str(plan.pk), "--dry-run")
    assert not PilotTask.objects.exists()
    call_command("import_tasks", str(path), "--plan", str(plan.pk))
    assert "3 new, 0 updated" in capsys.readouterr().out
    call_command("import_tasks", str(path), "--plan", str(plan.pk))
    assert PilotTask.objects.filter(plan=plan).count() == 3
    path.write_text("number,text\n,缺编号\n", "utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_tasks", str(path), "--plan", str(plan.pk))


def test_a_confirm_after_someone_changed_a_task_imports_nothing(client, office, plan):
    """Two offices preview the same file; the first confirm wins, the second is refused."""
    from django.test import Client

    PilotTask.objects.create(plan=plan, number="1", text="旧任务")
    other = Client()
    other.force_login(office)
    url = f"/reforms/plans/{plan.pk}/import/"
    client.force_login(office)
    for browser in (client, other):
        browser.post(url, {"file": SimpleUploadedFile("tasks.csv", GOOD.encode())})
    client.post(url, {"confirm": "1"})
    assert PilotTask.objects.get(plan=plan, number="1").version == 2
    events = AuditEvent.objects.filter(action="import").count()
    refused = other.post(url, {"confirm": "1"}, follow=True)
    assert "被他人修改" in refused.content.decode()
    assert PilotTask.objects.get(plan=plan, number="1").version == 2
    assert AuditEvent.objects.filter(action="import").count() == events
