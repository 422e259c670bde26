"""Read a document into text: plain text in any common Chinese encoding, HTML, PDF, DOCX.

Every failure is a DocumentError with a message meant for the person who uploaded the file.
"""

import codecs
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_DOCX_RATIO = 200
MAX_LINE = 1_000_000  # characters; prose has line breaks long before this
# Budgets of one file, whatever its format: a long real document (a 2,000-page yearbook) stays
# inside all of them; a file built to exhaust a reader does not. The parsing process itself
# is also capped in memory and time (zimao.documents.analysis.analyse_bounded).
MAX_CHARS = 5_000_000
MAX_PDF_PAGES = 3_000
MAX_PDF_PAGE_SIDE = 14_400  # points: 200 inches, the largest page PDF defines
MAX_PDF_INFLATED = 256 * 1024 * 1024  # bytes of all Flate streams together, decompressed
MAX_PDF_OBJECTS = 1_000_000
MAX_DOCX_PARAGRAPHS = 200_000
MAX_HTML_TAGS = 500_000
_MB = 1024 * 1024


class DocumentError(ValueError):
    """The file cannot be read as a document; the message says why."""


class ReadLimit(DocumentError):
    """A file went past a reading budget; the message (Chinese first, as stored as the
    document's failure reason) names the limit."""


def _check_chars(count: int) -> None:
    if count > MAX_CHARS:
        raise ReadLimit(f"超出读取上限：文字超过 {MAX_CHARS // 10_000} 万字")


@dataclass(frozen=True)
class Document:
    text: str
    format: str  # text, html, pdf, docx
    encoding: str  # the text encoding used, or the container format


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _looks_like_text(text: str) -> bool:
    """Reject decodings full of control characters: binary junk decodes as GB18030 too."""
    sample = text[:20000]
    return not sample or len(_CONTROL.findall(sample)) / len(sample) < 0.01


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM shows as a NUL in every other byte of ASCII-heavy text."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros > half * 0.2:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding): BOMs first, then strict UTF-8, UTF-16, GB18030. Never guess
    silently: an undecodable file is an error, not mojibake."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    f"file starts with a {encoding} BOM but is not valid {encoding}: {exc.reason}"
                ) from exc
    if b"\x00" not in data[:4000]:
        try:
            text = data.decode("utf-8")
            if _looks_like_text(text):
                return text, "utf-8"
        except UnicodeDecodeError:
            pass
    decoded16 = _utf16_without_bom(data)
    if decoded16 is not None and _looks_like_text(decoded16[0]):
        return decoded16
    if b"\x00" not in data:
        try:
            text = data.decode("gb18030")
            if _looks_like_text(text):
                return text, "gb18030"
        except UnicodeDecodeError:
            pass
    raise DocumentError("not a text document: it is neither UTF-8, UTF-16 nor GB18030 text")


class _HTMLText(HTMLParser):
    """Collect visible text; block elements break lines, table cells are tab-separated."""

    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "table",
        "tr",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "hr",
        "caption",
        "figcaption",
        "title",
    }
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in ("td", "th"):
            if self.cell:
                self.parts.append("\t")
            self.cell = True
        elif tag in self.BLOCK:
            self.parts.append("\n")
            if tag == "tr":
                self.cell = False

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if data.isspace():
            # between two inline elements (<b>15</b>\t<b>3</b>) whitespace still separates
            # them; next to a line or cell break it is dropped (text() below)
            if self.parts and not self.parts[-1].endswith(("\n", "\t", " ")):
                self.parts.append(" ")
            return
        self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))

    def text(self) -> str:
        joined = "".join(self.parts)
        joined = re.sub(r" *\t *", "\t", joined)
        joined = re.sub(r"[ ]*\n[ \n]*", "\n", joined)
        return joined.strip("\n")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def read_html(data: bytes) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    encoding = None
    if declared:
        name = declared.group(1).decode("ascii").lower()
        encoding = "gb18030" if name in {"gb2312", "gbk", "gb18030"} else name
        try:
            markup = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            encoding = None
    if encoding is None:
        markup, encoding = decode_text(data)
    if markup.count("<") > MAX_HTML_TAGS:
        raise ReadLimit(f"超出读取上限：HTML 标签超过 {MAX_HTML_TAGS:,} 个")
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return parser.text(), encoding


_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_INFLATE_STEP = 8 * _MB


def _inflated_size(stream: memoryview, budget: int) -> int:
    """Bytes a Flate stream inflates to, counted a step at a time and never past `budget`
    (0 for a stream that is not Flate: pdfium decides about those)."""
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        inflater = zlib.decompressobj(wbits)
        size = 0
        try:
            size += len(inflater.decompress(stream, _INFLATE_STEP))
            while inflater.unconsumed_tail and size <= budget:
                size += len(inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP))
        except zlib.error:
            if size:
                return size
            continue
        return size
    return 0


def check_pdf_budget(data: bytes) -> None:
    """Refuse a PDF before pdfium inflates it: count its objects and inflate every stream
    that zlib can read, in steps, within one budget for the whole file."""
    if len(_PDF_OBJECT.findall(data)) > MAX_PDF_OBJECTS:
        raise ReadLimit(f"超出读取上限：PDF 对象超过 {MAX_PDF_OBJECTS:,} 个")
    view = memoryview(data)
    spent = 0
    for match in _PDF_STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        spent += _inflated_size(view[start : end if end >= 0 else len(data)], MAX_PDF_INFLATED)
        if spent > MAX_PDF_INFLATED:
            raise ReadLimit(
                f"超出读取上限：PDF 内容解压后超过 {MAX_PDF_INFLATED // _MB} MB（疑似压缩炸弹）"
            )


def read_pdf(data: bytes) -> str:
    """Text layer of every page, pages separated by form feeds (for header detection)."""
    import pypdfium2 as pdfium

    check_pdf_budget(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentError(f"the PDF is damaged or truncated ({exc})") from exc
    pages = []
    chars = 0
    try:
        count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise ReadLimit(f"超出读取上限：PDF 超过 {MAX_PDF_PAGES:,} 页（本文件 {count:,} 页）")
        for number in range(count):
            try:
                page = pdf[number]
                if max(page.get_size()) > MAX_PDF_PAGE_SIDE:
                    page.close()
                    raise ReadLimit(
                        f"超出读取上限：PDF 第 {number + 1} 页的边长超过 {MAX_PDF_PAGE_SIDE:,} 点"
                    )
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                page.close()
            except pdfium.PdfiumError as exc:
                raise DocumentError(
                    f"the PDF is damaged: page {number + 1} of the {count} it declares "
                    f"cannot be read ({exc})"
                ) from exc
            chars += len(text)
            _check_chars(chars)
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n"))
    finally:
        pdf.close()
    text = "\f".join(pages)
    if not text.strip():
        raise DocumentError("the PDF has no text layer (a scan needs OCR first)")
    return text


MAX_DOCX_MEMBERS = 2000
_CHUNK = 64 * 1024
_WORD_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _unpacked_docx(data: bytes) -> bytes:
    """Inflate every member by actually reading it, a chunk at a time, within a byte budget,
    and return the same package re-stored uncompressed.

    Sizes in the zip directory are never trusted: a member that inflates past the budget
    stops the reading there. python-docx then reads only the checked copy, so it cannot
    inflate anything by itself (zipfile.read() inflates a member in one call).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise DocumentError("the Word file is damaged (not a valid .docx zip)") from exc
    if len(members) > MAX_DOCX_MEMBERS:
        raise DocumentError(f"the Word file has more than {MAX_DOCX_MEMBERS} parts")
    if "word/document.xml" not in {m.filename for m in members}:
        raise DocumentError("the zip file is not a Word document (no word/document.xml)")
    budget = min(MAX_DOCX_UNCOMPRESSED, MAX_DOCX_RATIO * len(data) + 10_000_000)
    declared = sum(m.file_size for m in members)
    if declared > budget:
        raise ReadLimit(
            f"超出读取上限：Word 文件解压后达 {declared // _MB:,} MB，上限为 {budget // _MB} MB"
        )
    for member in members:
        if member.file_size > _MB and member.file_size > MAX_DOCX_RATIO * member.compress_size:
            raise ReadLimit(
                f"超出读取上限：Word 文件的 {member.filename[:60]} 压缩比超过 {MAX_DOCX_RATIO} 倍"
                "（疑似压缩炸弹）"
            )
    spent = 0
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as copy:
        for member in members:
            if member.compress_type not in _WORD_COMPRESSION:
                raise DocumentError("the Word file uses a compression Word does not write")
            parts = []
            try:
                with archive.open(member) as handle:
                    while chunk := handle.read(_CHUNK):
                        spent += len(chunk)
                        if spent > budget:
                            raise ReadLimit(
                                f"超出读取上限：Word 文件解压后超过 {budget // _MB} MB"
                                "（疑似压缩炸弹）"
                            )
                        parts.append(chunk)
            except DocumentError:
                raise
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
                raise DocumentError(
                    f"the Word file is damaged ({member.filename} cannot be read)"
                ) from exc
            content = b"".join(parts)
            if member.filename == "word/document.xml":
                paragraphs = content.count(b"<w:p>") + content.count(b"<w:p ")
                if paragraphs > MAX_DOCX_PARAGRAPHS:
                    raise ReadLimit(f"超出读取上限：Word 文件段落超过 {MAX_DOCX_PARAGRAPHS:,} 个")
            copy.writestr(member.filename, content)
    return output.getvalue()


def read_docx(data: bytes) -> str:
    """Paragraphs and tables in body order; table cells tab-separated, one row per line."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    checked = _unpacked_docx(data)
    try:
        document = docx.Document(io.BytesIO(checked))
        lines: list[str] = []
        chars = 0
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    lines.append("\t".join(cell.text.replace("\n", " ") for cell in row.cells))
            chars += len(lines[-1]) if lines else 0
            _check_chars(chars)
    except DocumentError:
        raise
    except Exception as exc:  # python-docx raises many kinds on broken XML
        raise DocumentError(f"the Word file cannot be parsed ({type(exc).__name__})") from exc
    return "\n".join(lines)


def sniff(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix in {".pdf", ".docx"}:
        return suffix[1:]
    head = data[:1024].lstrip().lower()
    if suffix in {".html", ".htm", ".xhtml"} or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _check_lines(document: Document) -> Document:
    longest = max((len(line) for line in document.text.split("\n")), default=0)
    if longest > MAX_LINE:
        raise DocumentError(
            f"the text is one {longest:,}-character single line: not a readable document"
        )
    _check_chars(len(document.text))
    return document


def read_bytes(data: bytes, name: str = "document") -> Document:
    """Read any supported file; raise DocumentError with a reason a person can act on.

    Any other error of a parser also becomes a DocumentError, so callers handle one kind.
    """
    try:
        return _check_lines(_read(data, name))
    except DocumentError:
        raise
    except MemoryError as exc:
        raise ReadLimit("超出读取上限：读取该文件所需内存超过允许的上限") from exc
    except Exception as exc:
        raise DocumentError(f"the file cannot be read ({type(exc).__name__}: {exc})") from exc


def _read(data: bytes, name: str) -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data:
        raise DocumentError("the file is empty")
    kind = sniff(data, name)
    if kind == "pdf":
        return Document(read_pdf(data), "pdf", "pdf")
    if kind == "docx":
        return Document(read_docx(data), "docx", "docx")
    if kind == "html":
        text, encoding = read_html(data)
        return Document(text, "html", encoding)
    text, encoding = decode_text(data)
    return Document(text, "text", encoding)


def read_document(path: Path) -> Document:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror}") from exc
    if size > MAX_BYTES:
        raise DocumentError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return read_bytes(path.read_bytes(), path.name)
