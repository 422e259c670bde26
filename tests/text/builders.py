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


def make_lying_docx(paragraphs: list[str], padding_mb: int = 200) -> bytes:
    """A Word file whose document.xml is followed by `padding_mb` megabytes of blanks while
    the zip directory gives the size (and checksum) of the XML alone: a reader that trusts
    the directory and inflates a member in one call allocates the whole padding."""
    import struct
    import zlib

    original = zipfile.ZipFile(io.BytesIO(make_docx(paragraphs)))
    xml = original.read("word/document.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, original.read(info.filename))
        with archive.open("word/document.xml", "w") as handle:
            handle.write(xml)
            chunk = b" " * (1024 * 1024)
            for _ in range(padding_mb):
                handle.write(chunk)
    data = bytearray(buffer.getvalue())
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    struct.pack_into("<I", data, entry + 16, zlib.crc32(xml))  # central directory: CRC-32
    struct.pack_into("<I", data, entry + 24, len(xml))  # central directory: uncompressed size
    return bytes(data)


def make_pdf_with_missing_pages(declared: int = 9) -> bytes:
    """A one-page PDF whose page tree says it has `declared` pages."""
    data = make_pdf([["第一页：企业开办时间压缩至1个工作日。"]])
    assert data.count(b"/Count 1") == 1
    return data.replace(b"/Count 1", f"/Count {declared}".encode())


def wrap(text: str, width: int = 36) -> list[str]:
    """Break every paragraph into lines of `width` characters, as a PDF page would."""
    lines = []
    for paragraph in text.splitlines():
        if "  " in paragraph.strip():  # a table line keeps its row
            lines.append(paragraph)
            continue
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)] or [""]
    return lines


def as_pdf(text: str) -> bytes:
    lines = wrap(text)
    pages = [lines[i : i + 40] for i in range(0, len(lines), 40)]
    return make_pdf(pages, header="自贸试验区工作参考（内部）")


def as_html(text: str) -> bytes:
    import html
    import re

    body = []
    for paragraph in text.splitlines():
        if "  " in paragraph.strip():  # table lines become table rows, as on a web page
            cells = re.split(r"\s{2,}", paragraph.strip())
            row = "".join(f"<td>{html.escape(c)}</td>" for c in cells)
            body.append(f"<table><tr>{row}</tr></table>")
            continue
        escaped = html.escape(paragraph)
        # Numbers in bold, as web pages often mark them: the reader must keep them whole.
        body.append("<p>" + re.sub(r"(\d+(?:\.\d+)?)", r"<b>\1</b>", escaped) + "</p>")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>t</title>"
        "<style>p{margin:0}</style><script>var n = 42;</script></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )
    return page.encode("utf-8")


def as_docx(text: str) -> bytes:
    return make_docx(text.splitlines())


VARIANTS = {
    "txt-gb18030": lambda text: text.encode("gb18030"),
    "txt-utf16": lambda text: text.encode("utf-16"),
    "html": as_html,
    "docx": as_docx,
    "pdf": as_pdf,
}
