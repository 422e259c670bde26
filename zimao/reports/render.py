"""One report, three formats: HTML (self-contained), PDF (WeasyPrint) and Word (python-docx).

All three come from the same `Report`, so they carry the same numbers and notes. Fonts: the
system's Noto CJK (fonts-noto-cjk); WeasyPrint embeds the subset the PDF uses.
"""

import base64
import io
from typing import Any

from django.template.loader import render_to_string

from zimao.indicators.provenance import add_docx_banner

from .charts import Chart, cjk_family, report_charts
from .content import Report, Table

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render_html(
    report: Report, charts: list[Chart] | None = None, *, standalone: bool = True
) -> str:
    if report.kind == "progress":
        from .gongwen import render_progress_html

        return render_progress_html(report, standalone=standalone)
    charts = report_charts(report) if charts is None else charts
    images = [
        {
            "title": c.title,
            "note": c.note,
            "shape": c.shape,
            "src": "data:image/png;base64," + base64.b64encode(c.png).decode(),
        }
        for c in charts
    ]
    context = {"report": report, "images": images, "standalone": standalone, "font": cjk_family()}
    return render_to_string("reports/report.html", context)


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_html(report)).write_pdf())


def render_docx(report: Report) -> bytes:
    if report.kind == "progress":
        from .gongwen import render_progress_docx

        return render_progress_docx(report)
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    _a4(document)
    family = cjk_family()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        style = document.styles[style_name]
        style.font.name = family
        style.element.rPr.rFonts.set(qn("w:eastAsia"), family)
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(report.title, level=0)
    meta = document.add_paragraph(f"生成时间：{report.generated}　数据年度：{report.year}")
    meta.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for title, text in report.section_items[:1]:
        _section(document, title, text)
    if report.standing:
        document.add_heading("总体位次" if report.kind == "benchmark" else "总体情况", level=1)
        for line in report.standing:
            document.add_paragraph(line)
    for table in report.tables:
        _table(document, table)
    if report.gaps:
        document.add_heading("差距分析", level=1)
        for heading, texts in report.gap_groups or [("", report.gaps)]:
            if heading:
                document.add_heading(heading, level=2)
            for gap in texts:
                document.add_paragraph(gap, style="List Bullet")
    charts = report_charts(report)
    if charts:
        document.add_heading("图表", level=1)
        for number, chart in enumerate(charts, start=1):
            width = Cm(12) if chart.shape == "square" else Cm(15)
            document.add_picture(io.BytesIO(chart.png), width=width)
            document.add_paragraph(f"图 {number}　{chart.title}", style="Caption")
            if chart.note:
                document.add_paragraph(chart.note, style="Caption")
    _records(document, report)
    for title, text in report.section_items[1:]:
        _section(document, title, text)
    document.add_heading("附录：数据来源", level=1)
    if report.notes:
        notes = document.add_table(rows=1, cols=5)
        notes.style = "Table Grid"
        for cell, text in zip(
            notes.rows[0].cells, ("注", "指标", "对象与时期", "数值", "来源"), strict=True
        ):
            cell.text = text
        for note in report.notes:
            cells = notes.add_row().cells
            values = (
                f"[{note.number}]",
                note.indicator,
                f"{note.subject} {note.period}",
                f"{note.value}\n{note.original}" if note.original else note.value,
                note.source,
            )
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
        _keep_rows(notes)
    else:
        document.add_paragraph("本报告未引用统计数据。")
    add_docx_banner(document, report.sample_banner)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _section(document: object, title: str, text: str) -> None:
    document.add_heading(title, level=1)  # type: ignore[attr-defined]
    for paragraph in (text or "").splitlines() or [""]:
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())  # type: ignore[attr-defined]


def _table(document: object, table: Table) -> None:
    document.add_heading(table.title, level=1)  # type: ignore[attr-defined]
    grid = document.add_table(rows=1, cols=len(table.header))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, figure in zip(cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(figure.text)
            if figure.mark:
                paragraph.add_run(figure.mark).font.superscript = True
            if figure.note:
                paragraph.add_run(f"[{figure.note}]").font.superscript = True
    _keep_rows(grid)
    for note in table.notes:
        document.add_paragraph(note, style="Caption")  # type: ignore[attr-defined]


def _keep_rows(table: Any) -> None:
    """No row split across pages; the header row repeated on each page (as in the PDF)."""
    from docx.oxml import OxmlElement

    for number, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if number == 0:
            properties.append(OxmlElement("w:tblHeader"))


def _a4(document: object) -> None:
    """A4 portrait with the PDF's margins (python-docx's template is US Letter)."""
    from docx.shared import Cm

    for section in document.sections:  # type: ignore[attr-defined]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin = section.right_margin = Cm(1.8)


def _records(document: object, report: Report) -> None:
    document.add_heading("本期制度创新与复制推广", level=1)  # type: ignore[attr-defined]
    if report.innovations:
        for item in report.innovations:
            document.add_paragraph(  # type: ignore[attr-defined]
                f"{item['title']}（{item['domain']}，{item['state']}）", style="List Bullet"
            )
    else:
        document.add_paragraph("本期无已公开的制度创新成果记录。")  # type: ignore[attr-defined]
    if report.adoptions:
        for item in report.adoptions:
            document.add_paragraph(  # type: ignore[attr-defined]
                f"{item['item']}（{item['batch']}，{item['status']}，{item['date']}）",
                style="List Bullet",
            )
    else:
        document.add_paragraph("本期无复制推广落地记录。")  # type: ignore[attr-defined]


def render(report: Report, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    if fmt == "html":
        return render_html(report).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")
