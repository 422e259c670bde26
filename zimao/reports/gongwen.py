"""The progress report as an official document (公文, after GB/T 9704): Word and PDF.

A4, margins 37/35/28/26 mm (top/bottom/left/right), title in a 小标宋-like face, body in a
仿宋-like face at 三号 (16 pt), headings 一、 (黑体-like), （一） (楷体-like) and 1., page numbers
"— 1 —" in the footer (odd pages right, even pages left). The Word file sets the Noto CJK
faces of fonts-noto-cjk (which every Zimao machine has, and LibreOffice and Word render) and
names the usual 公文 face of each role beside it in the font table (w:altName), so it renders
the same on a machine without the 方正 fonts; the PDF uses the same Noto faces.
"""

import io
from typing import Any

from django.template.loader import render_to_string

from zimao.indicators.provenance import add_docx_banner

from .content import Report

# (the 公文 face of the role, the Noto face of fonts-noto-cjk that the files use for it)
TITLE_FONT = ("方正小标宋简体", "Noto Serif CJK SC")
BODY_FONT = ("仿宋_GB2312", "Noto Serif CJK SC")
HEI_FONT = ("黑体", "Noto Sans CJK SC")
KAI_FONT = ("楷体_GB2312", "Noto Serif CJK SC")
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 12  # 小四
LINE_PT = 28.9  # 22 lines to the page
NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (headings never go past a few dozen)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, units = divmod(n, 10)
    head = "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[units - 1] if units else "")


def _indicator_row(i: dict[str, Any]) -> list[str]:
    return [i["indicator"], i["period"], i["value"], i["provenance"], f"[{i['note']}]"]


def outline(report: Report) -> list[dict[str, Any]]:
    """The report as numbered parts, shared by Word and PDF so both say the same.

    Each part: {"title", "paragraphs", "subs": [{"title", "paragraphs", "table", "list"}]};
    a table is {"header": [...], "rows": [[...]]}; `list` items are numbered 1. 2. …
    """
    p = report.progress
    summary = [line for line in (report.sections.get("summary") or "").splitlines() if line]
    parts: list[dict[str, Any]] = [
        {"title": "总体情况", "paragraphs": summary + report.standing, "subs": []}
    ]
    rate_rows = []
    if p.rate_before is not None and p.rate_after is not None:
        rate_rows = [
            ["试点任务总数", f"{p.task_count} 项"],
            ["期末已实施任务", f"{p.rate_after.implemented} 项"],
            ["期末适用任务", f"{p.rate_after.applicable} 项"],
            [f"实施率（截至 {p.last.isoformat()}）", p.rate_after.text],
            [f"实施率（截至 {p.rate_before.day.isoformat()}）", p.rate_before.text],
            ["本期状态变化", f"{len(p.changes)} 次"],
            ["本期新增实施", f"{len(p.implemented)} 项"],
        ]
    tasks: list[dict[str, Any]] = [
        {
            "title": "实施进度",
            "paragraphs": ["实施率按任务状态记录回溯至期末计算：已实施任务 ÷ 适用任务 × 100。"],
            "table": {"header": ["项目", "数值"], "rows": rate_rows} if rate_rows else None,
        },
        {
            "title": "本期新增实施的任务",
            "paragraphs": [] if p.implemented else ["本期无新增实施的任务。"],
            "list": [f"{t['number']}　{t['text']}" for t in p.implemented],
        },
        {
            "title": "本期状态变化",
            "paragraphs": [] if p.changes else ["本期无任务状态变化。"],
            "table": {
                "header": ["编号", "任务", "原状态", "新状态", "日期"],
                "rows": [
                    [c["number"], c["text"], c["from"], c["to"], c["date"]] for c in p.changes
                ],
            }
            if p.changes
            else None,
        },
    ]
    if p.overdue is None:
        tasks.append(
            {"title": "逾期任务", "paragraphs": ["试点任务未设完成时限，无法判断是否逾期。"]}
        )
    else:
        tasks.append(
            {
                "title": "逾期任务",
                "paragraphs": [] if p.overdue else ["截至期末无逾期未实施的任务。"],
                "table": {
                    "header": ["编号", "任务", "完成时限", "期末状态", "责任单位"],
                    "rows": [
                        [o["number"], o["text"], o["due"], o["status"], o["units"]]
                        for o in p.overdue
                    ],
                }
                if p.overdue
                else None,
            }
        )
    parts.append({"title": "试点任务推进情况", "paragraphs": [], "subs": tasks})
    parts.append(
        {
            "title": "制度创新进展",
            "paragraphs": [],
            "subs": [
                {
                    "title": "新登记成果",
                    "paragraphs": [] if p.new_innovations else ["本期无新登记的已公开成果。"],
                    "list": [
                        f"{i['title']}（{'' if i['domain'] == '—' else i['domain'] + '，'}"
                        f"{i['state']}，{i['date']}）"
                        for i in p.new_innovations
                    ],
                },
                {
                    "title": "阶段变化",
                    "paragraphs": [] if p.steps else ["本期无阶段变化。"],
                    "list": [
                        f"{s['title']}：{s['from']} → {s['to']}（{s['date']}）" for s in p.steps
                    ],
                },
                {
                    "title": "评选决定",
                    "paragraphs": [] if p.decisions else ["本期无入选决定。"],
                    "list": [f"{d['title']}：{d['decision']}（{d['date']}）" for d in p.decisions],
                },
            ],
        }
    )
    parts.append(
        {
            "title": "复制推广落地情况",
            "paragraphs": [f"本期新落地 {len(p.adoptions)} 项。"]
            if p.adoptions
            else ["本期无新落地的复制推广事项。"],
            "subs": [
                {
                    "title": "",
                    "list": [
                        f"{a['item']}（{a['batch']}{'，' + a['where'] if a['where'] else ''}，"
                        f"{a['date']}）"
                        for a in p.adoptions
                    ],
                }
            ]
            if p.adoptions
            else [],
        }
    )
    parts.append(
        {
            "title": "主要指标",
            "paragraphs": [] if p.indicators else ["本期无统计期落在报告期内的指标数据。"],
            "subs": [
                {
                    "title": "",
                    "table": {
                        "header": ["指标", "时期", "数值", "数据性质", "注"],
                        "rows": [_indicator_row(i) for i in p.indicators],
                    },
                }
            ]
            if p.indicators
            else [],
        }
    )
    outlook = [line for line in (report.sections.get("outlook") or "").splitlines() if line]
    parts.append({"title": "下一步工作", "paragraphs": outlook or ["（未填写）"], "subs": []})
    for number, part in enumerate(parts, start=1):
        part["number"] = f"{chinese_number(number)}、"
        for index, sub in enumerate((s for s in part["subs"] if s.get("title")), start=1):
            sub["number"] = f"（{chinese_number(index)}）"
    return parts


# --- Word -------------------------------------------------------------------------------------


def _fonts(element: Any, face: tuple[str, str]) -> None:
    """One face for Chinese text, Latin text and digits alike, so a line reads evenly."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), face[1])


def _declare_alternates(document: Any) -> None:
    """In the font table, each Noto face with the 公文 face it stands for (w:altName), its
    character set (GB2312) and family: what Word falls back on where Noto is not installed."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    part = document.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(part.blob)
    for alternate, face in (BODY_FONT, HEI_FONT):  # 仿宋 for the serif face, 黑体 for the sans
        font = OxmlElement("w:font")
        font.set(qn("w:name"), face)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternate)
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "swiss" if "Sans" in face else "roman")
        font.append(family)
        table.append(font)
    part._blob = serialize_part_xml(table)


def _paragraph(
    document: Any,
    text: str,
    face: tuple[str, str] = BODY_FONT,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    indent: bool = True,
    center: bool = False,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(LINE_PT, size * 1.5))
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进二字
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _fonts(run._r, face)
    return paragraph


def _heading(document: Any, text: str, level: int) -> Any:
    """Real outline levels (navigation pane, table of contents) with the 公文 faces."""
    face = HEI_FONT if level == 1 else KAI_FONT
    paragraph = _paragraph(document, text, face)
    paragraph.style = document.styles[f"Heading {level}"]
    paragraph.paragraph_format.keep_with_next = True
    for run in paragraph.runs:
        run.font.bold = False
        run.font.italic = False
        from docx.shared import Pt, RGBColor

        run.font.color.rgb = RGBColor(0, 0, 0)
        run.font.size = Pt(BODY_PT)
    return paragraph


# Column widths (cm, summing to the 15.6 cm between the margins) by table header: the task
# text and the source get the room, codes and dates what they need.
WIDTHS: dict[tuple[str, ...], tuple[float, ...]] = {
    ("项目", "数值"): (10.0, 5.6),
    ("编号", "任务", "原状态", "新状态", "日期"): (1.6, 7.4, 2.0, 2.0, 2.6),
    ("编号", "任务", "完成时限", "期末状态", "责任单位"): (1.6, 6.2, 2.6, 2.0, 3.2),
    ("指标", "时期", "数值", "数据性质", "注"): (3.4, 3.2, 3.4, 4.4, 1.2),
    ("注", "指标", "对象与时期", "数值", "来源"): (1.2, 2.8, 3.6, 3.0, 5.0),
}


def _grid(document: Any, table: dict[str, Any]) -> None:
    from docx.shared import Cm, Pt

    from .render import _keep_rows

    grid = document.add_table(rows=1, cols=len(table["header"]))
    grid.style = "Table Grid"
    widths = WIDTHS.get(tuple(table["header"]))
    for row_cells, values, bold in [(grid.rows[0].cells, table["header"], True)] + [
        (grid.add_row().cells, row, False) for row in table["rows"]
    ]:
        for cell, value in zip(row_cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(str(value))
            run.font.size = Pt(TABLE_PT)
            run.font.bold = bold
            _fonts(run._r, HEI_FONT if bold else BODY_FONT)
    if widths is not None:
        grid.autofit = False
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    _keep_rows(grid)


def _page_number(paragraph: Any, align: Any) -> None:
    """ "— 1 —": a PAGE field between two em dashes, 宋体-like 四号 (14 pt)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(14)

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(14)
        _fonts(r._r, BODY_FONT)
        return r

    run("— ")
    for kind, code in (("begin", None), ("instr", " PAGE "), ("separate", None)):
        r = run()
        if code:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = code
            r._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
    run("1")
    end = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)
    run(" —")


def render_progress_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(28)  # 页码位于版心下边缘之下约 7 mm
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element, BODY_FONT)
    _declare_alternates(document)
    _paragraph(
        document, report.title, TITLE_FONT, size=TITLE_PT, bold=True, indent=False, center=True
    )
    p = report.progress
    _paragraph(
        document,
        f"（{p.first.year}年{p.first.month}月{p.first.day}日—{p.last.month}月{p.last.day}日）",
        KAI_FONT,
        indent=False,
        center=True,
    )
    _paragraph(document, "", indent=False)
    for part in outline(report):
        _heading(document, f"{part['number']}{part['title']}", 1)
        for text in part["paragraphs"]:
            _paragraph(document, text)
        for sub in part["subs"]:
            if sub.get("title"):
                _heading(document, f"{sub['number']}{sub['title']}", 2)
            for text in sub.get("paragraphs", []):
                _paragraph(document, text)
            for number, item in enumerate(sub.get("list", []), start=1):
                _paragraph(document, f"{number}. {item}")
            if sub.get("table"):
                _grid(document, sub["table"])
    _heading(document, "附件：数据来源", 1)
    if report.notes:
        _grid(
            document,
            {
                "header": ["注", "指标", "对象与时期", "数值", "来源"],
                "rows": [
                    [f"[{n.number}]", n.indicator, f"{n.subject} {n.period}", n.value, n.source]
                    for n in report.notes
                ],
            },
        )
    else:
        _paragraph(document, "本报告未引用统计数据。")
    _paragraph(document, "", indent=False)
    signature = _paragraph(document, f"生成时间：{report.generated}", indent=False)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    add_docx_banner(document, report.sample_banner)
    if report.sample_banner:
        for section in document.sections:
            banner = section.even_page_header.paragraphs[0]
            banner.add_run(report.sample_banner).bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def render_progress_html(report: Report, *, standalone: bool = True) -> str:
    context = {
        "report": report,
        "parts": outline(report),
        "p": report.progress,
        "standalone": standalone,
        "margins": MARGINS_MM,
        "title_font": TITLE_FONT,
        "body_font": BODY_FONT,
        "hei_font": HEI_FONT,
        "kai_font": KAI_FONT,
    }
    return render_to_string("reports/progress.html", context)


def render_progress_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_progress_html(report)).write_pdf())
