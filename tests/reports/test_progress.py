"""The monthly progress report of an area, read back from its Word and PDF files: A4 公文
layout, numbered headings, and the month's figures computed from known records."""

import io
import re
from datetime import date, datetime, time

import pypdfium2
import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.indicators.helpers import import_text, national
from zimao.indicators.subjects import subject_from_ref
from zimao.reforms.models import Innovation, PilotTask, TaskStatusChange, Transition
from zimao.replication.models import Adoption, ReplicationItem
from zimao.reports.progress import build_progress
from zimao.reports.render import render_docx, render_pdf
from zimao.zones.models import Area, Plan

pytestmark = pytest.mark.django_db
AREA = "成都天府新区片区"
HEADER = "指标,对象类型,对象,时期,数值,单位,来源,数据性质"


def at(y: int, m: int, d: int) -> datetime:
    from django.utils import timezone

    return datetime.combine(date(y, m, d), time(10), timezone.get_current_timezone())


@pytest.fixture
def month():
    """Six tasks of the area with a known history, three innovations, two adoptions and two
    November observations (one of them a sample)."""
    area = Area.objects.get(name_zh=AREA)
    plan = Plan.objects.filter(zone=area.zone).first() or Plan.objects.create(
        zone=area.zone, title="四川总体方案"
    )
    history = {
        "M1": [("implemented", at(2025, 6, 10))],
        "M2": [("in_progress", at(2025, 9, 3)), ("implemented", at(2025, 11, 12))],
        "M3": [("in_progress", at(2025, 11, 20))],
        "M4": [],
        "M5": [("not_applicable", at(2025, 5, 1))],
        "M6": [("in_progress", at(2025, 8, 1)), ("implemented", at(2025, 12, 2))],
    }
    for number, changes in history.items():
        status = changes[-1][0] if changes else "not_started"
        task = PilotTask.objects.create(
            plan=plan, area=area, number=number, text=f"月报测试任务{number}", status=status
        )
        TaskStatusChange.objects.filter(task=task).delete()
        for state, moment in changes:
            TaskStatusChange.objects.create(task=task, status=state, at=moment)
    new = Innovation.objects.create(
        title="天府跨境贸易便利化新举措", zone=area.zone, area=area, published=True
    )
    Innovation.objects.filter(pk=new.pk).update(created_at=at(2025, 11, 5))
    older = Innovation.objects.create(
        title="知识产权质押融资改革", zone=area.zone, area=area, published=True, state="achieved"
    )
    Innovation.objects.filter(pk=older.pk).update(created_at=at(2025, 3, 1))
    step = Transition.objects.create(
        innovation=older, from_state="piloting", to_state="achieved", reason="形成制度文件"
    )
    Transition.objects.filter(pk=step.pk).update(at=at(2025, 11, 18))
    chosen = Innovation.objects.create(
        title="铁路运输单证金融服务试点", zone=area.zone, area=area, published=True,
        state="selected", selection="best_practice",
    )  # fmt: skip
    Innovation.objects.filter(pk=chosen.pk).update(created_at=at(2025, 2, 1))
    decision = Transition.objects.create(
        innovation=chosen, from_state="submitted", to_state="selected", reason="评审通过"
    )
    Transition.objects.filter(pk=decision.pk).update(at=at(2025, 11, 25))
    hidden = Innovation.objects.create(title="内部草案不对外", zone=area.zone, area=area)
    Innovation.objects.filter(pk=hidden.pk).update(created_at=at(2025, 11, 6))
    items = ReplicationItem.objects.order_by("code")[:3]
    Adoption.objects.create(item=items[0], zone=area.zone, area=area, status="adopted",
                            date="2025-11-08")  # fmt: skip
    Adoption.objects.create(item=items[1], zone=area.zone, area=area, status="adopted",
                            date="2025-10")  # fmt: skip
    Adoption.objects.create(item=items[2], zone=area.zone, area=area, status="in_progress",
                            date="2025-11")  # fmt: skip
    import_text(
        national(),
        f"{HEADER}\n"
        f"new_enterprises,片区,{AREA},2025-11,1234,家,天府新区市场监管月报,\n"
        f"trade_total,片区,{AREA},2025-01..11,987.65,亿元,样例数据（虚构）,样例\n"
        f"trade_total,片区,{AREA},2025-10,55.5,亿元,十月数不在本期,\n",
    )
    return {"items": items, "area": area}


def test_the_months_figures_come_from_the_records(month):
    report = build_progress(subject_from_ref(f"area:{AREA}"), "2025-11")
    p = report.progress
    assert report.title == "成都天府新区片区2025年11月工作进展"
    assert (p.rate_after.implemented, p.rate_after.applicable, p.rate_after.text) == (2, 5, "40.0%")
    assert (p.rate_before.implemented, p.rate_before.text) == (1, "20.0%")
    assert [(c["number"], c["from"], c["to"]) for c in p.changes] == [
        ("M2", "推进中", "已实施"),
        ("M3", "未启动", "推进中"),
    ]
    assert [t["number"] for t in p.implemented] == ["M2"]
    assert [i["title"] for i in p.new_innovations] == ["天府跨境贸易便利化新举措"]
    assert [(s["title"], s["to"]) for s in p.steps] == [("知识产权质押融资改革", "形成成果")]
    assert [(d["title"], d["decision"]) for d in p.decisions] == [
        ("铁路运输单证金融服务试点", "最佳实践案例")
    ]
    assert [a["item"] for a in p.adoptions] == [month["items"][0].title]
    assert [(i["indicator"], i["period"], i["value"]) for i in p.indicators] == [
        ("新设企业数", "2025年11月", "1,234 家"),
        ("进出口总额", "2025年1—11月", "987.65 亿元（样例）"),
    ] or sorted(i["value"] for i in p.indicators) == ["1,234 家", "987.65 亿元（样例）"]
    quarter = build_progress(subject_from_ref(f"area:{AREA}"), "2025-Q4")
    assert quarter.title == "成都天府新区片区2025年第四季度工作进展"
    assert len(quarter.progress.adoptions) == 2 and len(quarter.progress.indicators) == 3
    assert quarter.progress.rate_after.text == "60.0%"  # M6 implemented on 2 December


def _headings(document) -> list[str]:
    return [
        p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2") and p.text
    ]


def test_the_word_file_is_an_a4_official_document_with_the_months_figures(month):
    report = build_progress(subject_from_ref(f"area:{AREA}"), "2025-11")
    document = Document(io.BytesIO(render_docx(report)))
    section = document.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210.0, 297.0)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    headings = _headings(document)
    assert headings[:2] == ["一、总体情况", "二、试点任务推进情况"]
    assert "（一）实施进度" in headings and "三、制度创新进展" in headings
    assert "六、下一步工作" in headings and headings[-1] == "附件：数据来源"
    tops = [h for h in headings if re.match(r"^[一二三四五六七八九十]+、", h)]
    numerals = [h.split("、")[0] for h in tops]
    assert numerals == ["一", "二", "三", "四", "五", "六"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "已实施 2 项，适用任务 5 项，实施率 40.0%（上期末 20.0%）" in text
    assert "试点任务状态变化 2 次，新增实施 1 项" in text
    assert "1. M2　月报测试任务M2" in text
    assert "铁路运输单证金融服务试点：最佳实践案例" in text
    assert "内部草案不对外" not in text
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {"40.0%", "20.0%", "1,234 家", "987.65 亿元（样例）", "天府新区市场监管月报"} <= cells
    # body 三号 in the serif face standing for 仿宋, headings 一、 in the sans face (黑体)
    body = next(p for p in document.paragraphs if p.text.startswith("截至"))
    run = body.runs[0]
    assert run.font.size.pt == 16
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
    first = next(p for p in document.paragraphs if p.text == "一、总体情况")
    assert first.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    title = document.paragraphs[0]
    assert title.text == report.title and title.runs[0].font.bold
    assert title.runs[0].font.size.pt == 22
    fonts = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert re.search(r'w:name="Noto Serif CJK SC"><w:altName w:val="仿宋_GB2312"/>', fonts)
    assert re.search(r'w:name="Noto Sans CJK SC"><w:altName w:val="黑体"/>', fonts)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in footer._p.xml
    assert "样例数据" in section.header.paragraphs[0].text  # a sample figure is in the report


def test_the_pdf_is_a4_and_carries_the_same_figures(month):
    report = build_progress(subject_from_ref(f"area:{AREA}"), "2025-11")
    pdf = pypdfium2.PdfDocument(render_pdf(report))
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    flat = re.sub(r"\s+", "", text)
    for expected in (
        "成都天府新区片区2025年11月工作进展",
        "一、总体情况",
        "（一）实施进度",
        "实施率40.0%（上期末20.0%）",
        "1,234家",
        "987.65亿元（样例）",
        "—1—",
        "样例数据",
    ):
        assert expected in flat, expected
    assert "内部草案不对外" not in flat


def test_a_province_report_counts_the_tasks_of_its_zones(month):
    report = build_progress(subject_from_ref("province:四川省"), "2025-11")
    assert report.progress.rate_after.implemented >= 2
    assert report.title == "四川省2025年11月工作进展"
    assert (
        report.progress.task_count
        == PilotTask.objects.filter(plan__zone__province="四川省").count()
    )


def test_the_schedule_makes_last_months_reports_once_and_the_queue_writes_them(month, client):
    from django.utils import timezone

    from tests.indicators.helpers import area_office
    from zimao.jobs.models import Job
    from zimao.jobs.services import job_run, result_path
    from zimao.reports.jobs import REPORT, progress_subjects, scheduled
    from zimao.reports.models import ReportDraft

    december = datetime(2025, 12, 3, 1, 30, tzinfo=timezone.get_current_timezone())
    scheduled(december)
    drafts = ReportDraft.objects.filter(scheduled=True)
    subjects = progress_subjects()
    assert drafts.count() == len(subjects) and set(drafts.values_list("period", flat=True)) == {
        "2025-11"
    }
    kinds = {s.kind for s in subjects}
    assert kinds == {"zone", "area", "province"}
    jobs = Job.objects.filter(kind=REPORT)
    assert jobs.count() == 2 * len(subjects)
    scheduled(december.replace(day=28))  # later in the same month: nothing new
    assert (drafts.count(), jobs.count()) == (len(subjects), 2 * len(subjects))

    ours = drafts.get(subject=f"area:{AREA}")
    assert ours.title == "成都天府新区片区2025年11月工作进展"
    word = jobs.get(params__draft=ours.pk, params__format="docx")
    assert (word.area_id, word.created_by) == (month["area"].pk, None)
    assert job_run(word.pk, 1) == "done"
    word.refresh_from_db()
    path = result_path(word)
    assert path is not None and path.name == "成都天府新区片区-2025年11月工作进展.docx"
    document = Document(str(path))
    assert "一、总体情况" in _headings(document)

    office = area_office(AREA)
    client.force_login(office)
    assert f"/reports/{ours.pk}/" in client.get("/reports/").content.decode()
    download = client.get(f"/jobs/{word.pk}/download/")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="zimao-job-{word.pk}.docx"; ')
    assert disposition.endswith(
        "filename*=UTF-8''%E6%88%90%E9%83%BD%E5%A4%A9%E5%BA%9C%E6%96%B0%E5%8C%BA%E7%89%87%E5%8C%BA"
        "-2025%E5%B9%B411%E6%9C%88%E5%B7%A5%E4%BD%9C%E8%BF%9B%E5%B1%95.docx"
    )
    other = area_office("南沙片区", name="nan")
    client.force_login(other)
    assert client.get(f"/jobs/{word.pk}/download/").status_code == 404
    assert client.get(f"/reports/{ours.pk}/export/pdf/").status_code == 403


def test_downloads_are_named_after_subject_and_period(month, client):
    from urllib.parse import unquote

    from tests.indicators.helpers import PEERS, SUBJECT, area_office
    from zimao.reports.services import report_draft_save

    office = area_office(AREA)
    quarter = report_draft_save(
        user=office, kind="progress", title="季报", subject=f"area:{AREA}", year=2025,
        period="2025年第四季度",
    )  # fmt: skip
    assert (quarter.period, quarter.year) == ("2025-Q4", 2025)
    benchmark = report_draft_save(
        user=office, title="对标", subject=SUBJECT, peers=PEERS, year=2023
    )
    client.force_login(office)
    expected = {
        (quarter.pk, "pdf"): "成都天府新区片区-2025年第四季度工作进展.pdf",
        (quarter.pk, "docx"): "成都天府新区片区-2025年第四季度工作进展.docx",
        (benchmark.pk, "docx"): "成都天府新区片区-2023年对标分析报告.docx",
    }
    for (pk, fmt), name in expected.items():
        response = client.get(f"/reports/{pk}/export/{fmt}/")
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        plain, _, encoded = disposition.partition("; filename*=UTF-8''")
        assert plain.startswith('attachment; filename="zimao-') and plain.isascii()
        assert plain.endswith(f'.{fmt}"') and "report-" not in plain
        assert unquote(encoded) == name


def test_the_commands_write_a_progress_report_and_refuse_a_bad_period(month, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "m.docx"
    call_command("report", "progress", "--subject", f"area:{AREA}", "--period", "2025-11",
                 "--format", "docx", "-o", str(out))  # fmt: skip
    assert "一、总体情况" in _headings(Document(str(out)))
    with pytest.raises(CommandError, match="报告期"):
        call_command("report", "progress", "--subject", f"area:{AREA}", "--period", "2025",
                     "--format", "pdf", "-o", str(out))  # fmt: skip
    with pytest.raises(CommandError, match="报告期"):
        call_command("progress_reports", "--period", "2025-13")


def test_an_office_picks_its_scope_and_a_period_and_gets_the_files_queued(month, client):
    from tests.indicators.helpers import area_office
    from zimao.jobs.models import Job
    from zimao.reports.models import ReportDraft

    office = area_office(AREA)
    client.force_login(office)
    page = client.get("/reports/progress/").content.decode()
    assert f'value="area:{AREA}"' in page
    assert 'value="area:南沙片区"' not in page and 'value="province:四川省"' not in page
    assert re.search(r'<option value="\d{4}-Q[1-4]"', page)
    response = client.post("/reports/progress/", {"subject": f"area:{AREA}", "period": "2025-11"})
    draft = ReportDraft.objects.get(kind="progress", subject=f"area:{AREA}", period="2025-11")
    assert response.status_code == 302 and response["Location"] == f"/reports/{draft.pk}/"
    assert sorted(
        Job.objects.filter(params__draft=draft.pk).values_list("params__format", flat=True)
    ) == ["docx", "pdf"]
    again = client.post("/reports/progress/", {"subject": f"area:{AREA}", "period": "2025-11"})
    assert again.status_code == 302
    assert ReportDraft.objects.filter(kind="progress", subject=f"area:{AREA}").count() == 1
    editor = client.get(f"/reports/{draft.pk}/").content.decode()
    assert "一、总体情况" in editor and "实施率 40.0%" in editor
    bad = client.post("/reports/progress/", {"subject": f"area:{AREA}", "period": "2025"})
    assert bad.status_code == 400 and "报告期须为某月" in bad.content.decode()
    foreign = client.post("/reports/progress/", {"subject": "area:南沙片区", "period": "2025-11"})
    assert foreign.status_code == 400
    assert not ReportDraft.objects.filter(subject="area:南沙片区").exists()


def test_every_kind_of_word_report_is_a4():
    from tests.indicators.helpers import import_sample
    from zimao.reports.content import build_annual

    import_sample(national())
    for report in (
        build_annual(subject_from_ref("zone:sichuan"), 2023),
        build_progress(subject_from_ref("province:四川省"), "2025-Q4"),
    ):
        section = Document(io.BytesIO(render_docx(report))).sections[0]
        size = (round(section.page_width.mm, 1), round(section.page_height.mm, 1))
        assert size == (210.0, 297.0), report.kind


def test_last_month_across_a_year_and_the_periods_offered():
    from zimao.reports.progress import previous_month, report_period
    from zimao.reports.views import _progress_periods

    assert previous_month(date(2026, 1, 1)) == "2025-12"
    assert previous_month(date(2025, 12, 31)) == "2025-11"
    offered = [code for code, _label in _progress_periods(date(2026, 2, 10))]
    assert offered[:3] == ["2026-01", "2025-12", "2025-11"] and len(offered) == 16
    assert offered[12:] == ["2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
    assert report_period("2025年第四季度").code == "2025-Q4"


def test_overdue_tasks_are_those_past_their_due_date_and_not_done_at_the_periods_end(month):
    from zimao.reforms.models import ResponsibleUnit

    area = month["area"]
    unit = ResponsibleUnit.objects.create(zone=area.zone, name="天府新区商务局")
    tasks = {t.number: t for t in PilotTask.objects.filter(area=area, number__startswith="M")}
    PilotTask.objects.filter(pk=tasks["M2"].pk).update(due_date=date(2025, 10, 31))  # done in Nov
    PilotTask.objects.filter(pk=tasks["M3"].pk).update(due_date=date(2025, 11, 15))
    PilotTask.objects.filter(pk=tasks["M4"].pk).update(due_date=date(2025, 12, 31))  # not yet due
    tasks["M3"].units.add(unit)
    p = build_progress(subject_from_ref(f"area:{AREA}"), "2025-11").progress
    assert p.overdue == [
        {
            "number": "M3",
            "text": "月报测试任务M3",
            "due": "2025-11-15",
            "status": "推进中",
            "units": "天府新区商务局",
        }
    ]


def test_without_any_due_date_the_report_says_deadlines_are_not_set(month):
    assert build_progress(subject_from_ref(f"area:{AREA}"), "2025-11").progress.overdue is None
