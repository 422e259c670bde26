"""Reports read back: the PDF and the Word file carry the tables, the observations' numbers,
the charts as images and a source for every figure."""

import ctypes
import io
from decimal import Decimal

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from docx import Document

from tests.indicators.helpers import PEERS, SUBJECT, area_office, import_sample, national
from zimao.audit.writes import EditConflict
from zimao.indicators.models import Observation
from zimao.indicators.subjects import subject_from_ref
from zimao.reports.content import build_benchmark
from zimao.reports.render import render_docx, render_pdf
from zimao.reports.services import report_draft_save

pytestmark = pytest.mark.django_db
SUGGESTION = "建议设立外资促进专班，对标前海蛇口片区完善跨境金融服务。"


PLACES = {"trade_total": 2, "new_foreign_enterprises": 0, "fdi_share_city": 1}


def printed(value: Decimal, places: int = 2) -> str:
    """How a report prints a number: thousands grouped, the unit's decimals (亿元 two, 家 none,
    % one), trailing zeros kept so a column reads alike."""
    return f"{value:,.{places}f}"


@pytest.fixture
def draft():
    import_sample(national())
    office = area_office("成都天府新区片区")
    created = report_draft_save(
        user=office, title="成都天府新区片区对标分析报告", subject=SUBJECT, peers=PEERS, year=2023
    )
    return report_draft_save(
        user=office,
        draft=created,
        version=created.version,
        title=created.title,
        subject=SUBJECT,
        peers=PEERS,
        year=2023,
        sections={"summary": "本年度总体平稳。", "suggestions": SUGGESTION},
    )


def subject_values(indicators):
    return {
        code: Observation.objects.get(
            indicator__code=code, subject_kind="area", subject="成都天府新区片区", period="2023"
        ).value
        for code in indicators
    }


def pdf_text_and_images(data: bytes) -> tuple[str, int]:
    pdf = pypdfium2.PdfDocument(data)
    text, images = [], 0
    for page in pdf:
        text.append(page.get_textpage().get_text_range())
        images += len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])))
    return "\n".join(text), images


def test_the_pdf_has_tables_numbers_sources_narrative_and_charts(draft, client):
    client.force_login(draft.created_by)
    response = client.get(f"/reports/{draft.pk}/export/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text, images = pdf_text_and_images(response.content)
    flat = text.replace("\r", "").replace("\n", "")
    assert "成都天府新区片区对标分析报告" in flat
    assert "2023 年主要指标对比" in flat
    for name in ("南沙片区", "前海蛇口片区", "两江片区"):
        assert name in flat
    for code, value in subject_values(
        ["trade_total", "new_foreign_enterprises", "fdi_share_city"]
    ).items():
        assert printed(value, PLACES[code]) in flat, code
    assert SUGGESTION in flat
    assert "附录：数据来源" in flat and "样例数据" in flat
    assert images >= 3


def test_the_word_file_has_the_same_tables_charts_and_appendix(draft):
    report = build_benchmark(
        subject_from_ref(SUBJECT), [subject_from_ref(p) for p in PEERS], 2023, draft.sections
    )
    document = Document(io.BytesIO(render_docx(report)))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert SUGGESTION in paragraphs and "差距分析" in paragraphs
    comparison = document.tables[0]
    header = [c.text for c in comparison.rows[0].cells]
    assert header == ["指标", "成都天府新区片区", "南沙片区", "前海蛇口片区", "两江片区"]
    trade = next(r for r in comparison.rows if r.cells[0].text.startswith("进出口总额"))
    value = subject_values(["trade_total"])["trade_total"]
    assert trade.cells[1].text.startswith(f"{printed(value)} 亿元[")
    appendix = document.tables[-1]
    assert len(appendix.rows) - 1 == len(report.notes)
    note = report.notes[0]
    observation = Observation.objects.get(pk=note.observation_id)
    assert appendix.rows[1].cells[4].text == observation.source
    assert len(document.inline_shapes) >= 3


def test_the_pdf_is_a_pdf_with_an_embedded_cjk_font(draft):
    report = build_benchmark(subject_from_ref(SUBJECT), [subject_from_ref(p) for p in PEERS], 2023)
    pdf = pypdfium2.PdfDocument(render_pdf(report))
    fonts = set()
    for page in pdf:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
            name = ctypes.create_string_buffer(size)
            pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
            fonts.add((name.value.decode(), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    assert fonts and all(embedded for _, embedded in fonts)
    assert any("CJK" in name for name, _ in fonts)


def test_drafts_are_written_by_their_office_and_a_stale_edit_is_refused(draft):
    other = area_office("南沙片区", name="nan")
    with pytest.raises(PermissionDenied):
        report_draft_save(user=other, title="x", subject=SUBJECT, peers=PEERS, year=2023)
    stale = draft.version - 1
    with pytest.raises(EditConflict) as info:
        report_draft_save(
            user=draft.created_by,
            draft=draft,
            version=stale,
            title="改名",
            subject=SUBJECT,
            peers=PEERS,
            year=2023,
            sections=draft.sections,
        )
    assert "title" in info.value.changes


def test_the_edit_page_saves_the_narrative(draft, client):
    client.force_login(draft.created_by)
    response = client.post(
        f"/reports/{draft.pk}/",
        {
            "version": draft.version,
            "title": draft.title,
            "summary": "摘要改写",
            "suggestions": "新的建议",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sections == {"summary": "摘要改写", "suggestions": "新的建议"}
    page = client.get(f"/reports/{draft.pk}/").content.decode()
    assert "新的建议" in page


def test_the_command_writes_each_format(tmp_path):
    import_sample(national())
    for fmt in ("pdf", "docx", "html"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "report",
            "benchmark",
            "--subject",
            SUBJECT,
            "--peers",
            ",".join(PEERS),
            "--year",
            "2023",
            "--format",
            fmt,
            "-o",
            str(out),
        )
        assert out.stat().st_size > 1000
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "<script" not in html
    annual = tmp_path / "annual.docx"
    call_command(
        "report",
        "annual",
        "--subject",
        "zone:sichuan",
        "--year",
        "2023",
        "--format",
        "docx",
        "-o",
        str(annual),
    )
    document = Document(str(annual))
    assert any("各片区" in p.text for p in document.paragraphs)


def test_the_years_innovations_and_adoptions_are_in_the_report():
    from datetime import datetime

    from django.utils import timezone

    from zimao.reforms.models import Innovation
    from zimao.replication.models import Adoption, ReplicationItem
    from zimao.zones.models import Area

    import_sample(national())
    area = Area.objects.get(name_zh="成都天府新区片区")
    innovation = Innovation.objects.create(
        title="跨境金融服务集成改革", zone=area.zone, area=area, published=True, state="achieved"
    )
    moment = timezone.make_aware(datetime(2023, 6, 1))  # noqa: DTZ001
    Innovation.objects.filter(pk=innovation.pk).update(created_at=moment)
    Innovation.objects.create(title="未公开的草案", zone=area.zone, area=area)
    item = ReplicationItem.objects.get(code="2019-investment-01")
    Adoption.objects.create(item=item, zone=area.zone, area=area, status="adopted", date="2023-09")
    report = build_benchmark(subject_from_ref(SUBJECT), [subject_from_ref(p) for p in PEERS], 2023)
    assert [i["title"] for i in report.innovations] == ["跨境金融服务集成改革"]
    assert [a["item"] for a in report.adoptions] == [item.title]
    text, _ = pdf_text_and_images(render_pdf(report))
    assert "跨境金融服务集成改革" in text.replace("\r\n", "")


def test_a_researchers_report_list_links_only_to_pages_they_may_open(draft, client):
    from tests.factories import person
    from zimao.accounts.models import Role

    researcher = person("rita", Role.RESEARCHER)
    client.force_login(researcher)
    page = client.get("/reports/").content.decode()
    assert draft.title in page
    assert f'href="/reports/{draft.pk}/"' not in page  # the editor is the office's
    assert client.get(f"/reports/{draft.pk}/").status_code == 403
    assert f'href="/reports/{draft.pk}/export/html/"' in page
    client.force_login(draft.created_by)
    assert f'href="/reports/{draft.pk}/"' in client.get("/reports/").content.decode()
