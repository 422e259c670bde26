"""Build test documents in every supported format from our own sample text."""

import io
import zipfile

SAMPLE = (
    "中国（广东）自由贸易试验区前海蛇口片区推行跨境贸易便利化改革，"
    "企业开办时间从 72 小时压缩到 37 小时，审批时限压减88%。\n"
    "2020年，片区新设企业1.2万家，实际使用外资三亿五千万元，同比增长12.5%。\n"
    "广州市商务局表示，横琴片区将继续扩大开放。\n"
)


def make_pdf(pages: list[list[str]], header: str = "自贸试验区工作简报") -> bytes:
    """A PDF with a running header and page numbers; text set in a CID font (no font file)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(72, height - 40, header)
        pdf.setFont("STSong-Light", 11)
        y = height - 80
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 18
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(width / 2, 30, str(number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(paragraphs: list[str], rows: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip_bomb() -> bytes:
    """A .docx-shaped zip whose document.xml expands to hundreds of megabytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):
                handle.write(chunk)
    return buffer.getvalue()
