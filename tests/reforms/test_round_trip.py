"""Excel in, Excel out, the same file: the task list a zone office downloads comes back in,
with its progress and evidence, and the preview says exactly what will change."""

import io
from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import person
from zimao.accounts.models import Role
from zimao.audit.models import AuditEvent
from zimao.lib.tabular import table_bytes
from zimao.reforms.imports import export_headers, parse_tasks, task_rows, tasks_import
from zimao.reforms.models import PilotTask, ResponsibleUnit, TaskStatusChange
from zimao.vocab.models import Domain
from zimao.zones.models import Area, Plan, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return Plan.objects.filter(zone__code="sichuan").first()


@pytest.fixture
def office():
    return person("zoe", Role.ZONE, zone=Zone.objects.get(code="sichuan"))


def exported(plan: Plan, fmt: str = "xlsx") -> bytes:
    tasks = plan.tasks.select_related("domain", "area").prefetch_related("units").order_by("id")
    return table_bytes(export_headers(), task_rows(tasks), fmt)


def workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_tasks(plan: Plan, count: int = 3) -> list[PilotTask]:
    return [
        PilotTask.objects.create(plan=plan, number=f"T-{i}", text=f"第{i}项试点任务")
        for i in range(1, count + 1)
    ]


def test_the_exported_task_list_imports_back_unchanged(plan):
    make_tasks(plan)
    for fmt in ("xlsx", "csv"):
        preview = parse_tasks(f"tasks.{fmt}", exported(plan, fmt), plan)
        assert preview.errors == [] and preview.notes == []
        assert preview.counts == {"new": 0, "updated": 0, "unchanged": 3, "conflict": 0}


def test_progress_and_evidence_filled_in_excel_come_back_as_updates(plan, office):
    tasks = make_tasks(plan)
    book = workbook(exported(plan))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    status, evidence = header.index("状态") + 1, header.index("进展与佐证") + 1
    sheet.cell(row=2, column=status, value="已完成")  # a synonym of 已实施
    sheet.cell(row=2, column=evidence, value="-已印发实施细则（川自贸办〔2025〕3号）")
    sheet.cell(row=3, column=status, value="进行中")
    sheet.cell(row=3, column=header.index("完成时限") + 1, value="2025/12/31")
    sheet.cell(row=1, column=len(header) + 1, value="备注")  # a column Zimao does not know
    sheet.cell(row=2, column=len(header) + 1, value="月底前报送")
    preview = parse_tasks("tasks.xlsx", saved(book), plan)
    assert preview.errors == []
    assert preview.notes == ["以下列不属于试点任务，已忽略：备注"]
    assert preview.counts == {"new": 0, "updated": 2, "unchanged": 1, "conflict": 0}
    first = next(r for r in preview.rows if r["number"] == "T-1")
    assert first["status"] == "已实施"  # what the file says, not the stored 未启动
    assert ["状态", "未启动", "已实施"] in first["changes"]
    events = AuditEvent.objects.filter(action="import").count()
    assert tasks_import(user=office, plan=plan, rows=preview.rows) == (0, 2)
    done = PilotTask.objects.get(pk=tasks[0].pk)
    assert (done.status, done.version) == ("implemented", 2)
    assert done.evidence == "-已印发实施细则（川自贸办〔2025〕3号）"  # kept as text, exactly
    assert PilotTask.objects.get(pk=tasks[2].pk).version == 1  # unchanged rows are not written
    assert AuditEvent.objects.filter(action="import").count() == events + 2
    assert TaskStatusChange.objects.filter(task=done, status="implemented").exists()
    assert str(PilotTask.objects.get(pk=tasks[1].pk).due_date) == "2025-12-31"


def test_short_area_and_domain_names_match_and_unknown_ones_get_suggestions(plan):
    text = (
        "编号,任务内容,领域,片区,状态\n"
        "1,深化跨境贸易便利化改革,贸易便利,天府新区片区,已完成\n"
        "2,推动铁路港多式联运,贸易便利化,青白江片区,推进中\n"
        "3,探索数据跨境,数据,成都天府新区域,完结\n"
    )
    preview = parse_tasks("t.csv", text.encode(), plan)
    trade = Domain.objects.get(code="trade").pk
    tianfu = Area.objects.get(zone__code="sichuan", name_zh="成都天府新区片区").pk
    first = preview.rows[0]["values"]
    assert (first["domain"], first["area"], first["status"]) == (trade, tianfu, "implemented")
    assert preview.rows[1]["values"]["area"] == (
        Area.objects.get(zone__code="sichuan", name_zh="成都青白江铁路港片区").pk
    )
    assert any(e.startswith("第 4 行「状态」：未知的状态“完结”") for e in preview.errors)
    area_error = next(e for e in preview.errors if "「片区」" in e)
    assert "成都天府新区片区" in area_error and "是否指" in area_error


def test_a_row_changed_since_the_export_is_a_conflict(plan, office):
    tasks = make_tasks(plan, 2)
    book = workbook(exported(plan))
    from zimao.reforms.services import task_update

    task_update(user=office, task=tasks[0], version=1, evidence="另一位同事先填了")
    header = [c.value for c in book.active[1]]
    book.active.cell(row=2, column=header.index("进展与佐证") + 1, value="我的填写")
    preview = parse_tasks("t.xlsx", saved(book), plan)
    assert preview.counts["conflict"] == 1 and not preview.ok
    assert any("在文件导出后已被修改" in e for e in preview.errors)


def test_a_minimal_progress_file_updates_only_its_columns(plan, office):
    tasks = make_tasks(plan, 2)
    unit = ResponsibleUnit.objects.create(zone=plan.zone, name="商务厅")
    tasks[1].units.add(unit)
    text = "编号,状态,佐证\nT-2,已实施,已出台管理办法\n"
    preview = parse_tasks("t.csv", text.encode(), plan)
    assert [(r["number"], r["action"]) for r in preview.rows] == [("T-2", "updated")]
    tasks_import(user=office, plan=plan, rows=preview.rows)
    task = PilotTask.objects.get(pk=tasks[1].pk)
    assert (task.status, task.evidence, list(task.units.all()), task.text) == (
        "implemented",
        "已出台管理办法",
        [unit],
        "第2项试点任务",
    )


def test_units_and_due_dates_come_back_in_from_the_file(plan, office):
    tasks = make_tasks(plan, 2)
    for name in ("商务厅", "市场监管局", "成都海关"):
        ResponsibleUnit.objects.create(zone=plan.zone, name=name)
    book = workbook(exported(plan))
    header = [c.value for c in book.active[1]]
    book.active.cell(row=2, column=header.index("责任单位") + 1, value="商务厅、成都海关")
    book.active.cell(row=2, column=header.index("完成时限") + 1, value="2026年3月31日")
    preview = parse_tasks("t.xlsx", saved(book), plan)
    assert preview.counts == {"new": 0, "updated": 1, "unchanged": 1, "conflict": 0}
    assert ["责任单位", "", "商务厅、成都海关"] in preview.rows[0]["changes"]
    assert ["完成时限", "", "2026-03-31"] in preview.rows[0]["changes"]
    tasks_import(user=office, plan=plan, rows=preview.rows)
    task = PilotTask.objects.get(pk=tasks[0].pk)
    assert sorted(u.name for u in task.units.all()) == ["商务厅", "成都海关"]
    assert str(task.due_date) == "2026-03-31"
    event = AuditEvent.objects.filter(action="import").latest("pk")
    assert len(event.after["units"]) == 2 and event.after["due_date"] == "2026-03-31"
    again = parse_tasks("t.xlsx", exported(plan), plan)
    assert again.counts["unchanged"] == 2


def test_the_preview_costs_the_same_queries_for_10_and_1000_rows(
    plan, django_assert_max_num_queries
):
    make_tasks(plan, 5)
    for count in (10, 1000):
        lines = ["编号,任务内容,领域,片区,状态,进展与佐证"]
        lines += [f"T-{i},任务{i},贸易便利,天府新区片区,进行中,佐证{i}" for i in range(count)]
        with django_assert_max_num_queries(8):
            preview = parse_tasks("t.csv", "\n".join(lines).encode(), plan)
        assert preview.errors == [] and len(preview.rows) == count


# --- property: export → import of any plan is a no-op ----------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
    | st.sampled_from(["\n", "'", "=", "-", "+", "@", " "]),
    max_size=30,
)
TASK = st.fixed_dictionaries(
    {
        "text": TEXT.filter(lambda t: t.strip() != ""),
        "domain": st.sampled_from([None, "trade", "investment", "finance"]),
        "area": st.sampled_from([None, "成都天府新区片区", "川南临港片区"]),
        "units": st.sets(st.integers(min_value=0, max_value=3), max_size=3),
        "due_date": st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
        "status": st.sampled_from(PilotTask.Status.values),
        "evidence": TEXT,
    }
)
# unit names as a catalogue keeps them: trimmed, without the separators a cell lists them by
UNIT_NAME = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="、，,；;"
    )
    | st.sampled_from(["'", "=", "-", "+", "@"]),
    min_size=1,
    max_size=12,
).filter(lambda t: t == t.strip() and t != "")
NUMBER = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    tasks=st.dictionaries(NUMBER, TASK, min_size=1, max_size=6),
    unit_names=st.lists(UNIT_NAME, min_size=4, max_size=4, unique=True),
    fmt=st.sampled_from(["xlsx", "csv"]),
)
def test_export_then_import_of_any_plan_is_a_no_op(plan, tasks, unit_names, fmt):
    with transaction.atomic():
        domains = {d.code: d for d in Domain.objects.all()}
        areas = {a.name_zh: a for a in Area.objects.filter(zone__code="sichuan")}
        units = [ResponsibleUnit.objects.create(zone=plan.zone, name=n) for n in unit_names]
        for number, values in tasks.items():
            fields = {k: v for k, v in values.items() if k != "units"}
            task = PilotTask.objects.create(
                plan=plan,
                number=number,
                **{
                    **fields,
                    "domain": domains.get(values["domain"] or ""),
                    "area": areas.get(values["area"] or ""),
                },
            )
            task.units.set([units[i] for i in values["units"]])
        preview = parse_tasks(f"tasks.{fmt}", exported(plan, fmt), plan)
        assert preview.errors == []
        assert [r["action"] for r in preview.rows] == ["unchanged"] * len(tasks)
        transaction.set_rollback(True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_plan_page_download_uploads_back_with_nothing_to_change(client, plan, office, fmt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_tasks(plan)
    client.force_login(office)
    data = client.get(f"/reforms/plans/{plan.pk}/", {"format": fmt}).getvalue()
    upload = SimpleUploadedFile(f"试点任务.{fmt}", data)
    page = client.post(f"/reforms/plans/{plan.pk}/import/", {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200
    assert "新增 0 项，更新 0 项，不变 3 项，冲突 0 项" in html
    assert 'id="import-nothing"' in html and 'id="import-confirm"' not in html
