"""What an uploaded file really is, decided from its bytes, never from its name.

Six kinds are accepted (PDF, DOCX, XLSX, PNG, JPEG, plain text). Everything else is refused
with a sentence that names the rule it broke: programs and scripts, macro-enabled or legacy
Office files, archives, HTML and SVG, empty files, and content that looks like malware (the
EICAR test string, PDFs that run JavaScript or launch programs). The rules are plain
functions of the bytes.
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    content_type: str
    suffix: str


PDF = Kind("pdf", "PDF", "application/pdf", ".pdf")
DOCX = Kind(
    "docx",
    "Word（DOCX）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = Kind(
    "xlsx",
    "Excel（XLSX）",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
)
PNG = Kind("png", "PNG", "image/png", ".png")
JPEG = Kind("jpeg", "JPEG", "image/jpeg", ".jpg")
TXT = Kind("txt", "文本（TXT）", "text/plain; charset=utf-8", ".txt")
KINDS = {k.code: k for k in (PDF, DOCX, XLSX, PNG, JPEG, TXT)}
ALLOWED_LABELS = "PDF、DOCX、XLSX、PNG、JPEG、TXT"


class Refused(ValueError):
    """The file is not accepted; the message (Chinese) names the rule."""


EICAR = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
# Executable formats: Windows PE/MZ, ELF, Mach-O (both byte orders, fat), Java class files.
PROGRAMS = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
ARCHIVES = (
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"MSCF", "CAB"),
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt, where macros live
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta|a\s|img\s|"
    rb"style|form|link)",
    re.IGNORECASE,
)
SCRIPT_START = (b"#!", b"@echo", b"<?php", b"<%")
PDF_ACTIVE = re.compile(
    rb"/(?:JavaScript|Launch|EmbeddedFile|RichMedia|XFA)\b|/JS\s*(?:[(<\[]|\d+\s+\d+\s+R)"
)
MACRO_PARTS = re.compile(r"(?:^|/)vbaProject\.bin$|(?:^|/)vbaData\.xml$|\.bin$", re.IGNORECASE)
MACRO_TYPES = ("macroEnabled", "vbaProject", "ms-office.activeX")
MAX_UNPACKED = 100 * 1024 * 1024  # an Office file that inflates beyond this is a zip bomb
MAX_MEMBERS = 5000


def sniff(data: bytes) -> Kind:
    """The kind of `data`, or Refused naming the rule that keeps it out."""
    if not data:
        raise Refused(_("文件为空（0 字节），未保存。"))
    if EICAR in data:
        raise Refused(_("文件含有病毒特征（EICAR 测试串），已拒绝。"))
    head = data[:16]
    if head.startswith(PROGRAMS) or data[:4] == b"\xca\xfe\xba\xbe":
        raise Refused(_("不接受可执行程序（如 .exe、ELF）。"))
    if head.startswith(OLE):
        raise Refused(_("不接受旧版 Office 文件（.doc/.xls 可含宏）；请另存为 DOCX 或 XLSX。"))
    for magic, name in ARCHIVES:
        if head.startswith(magic):
            raise Refused(_("不接受压缩包（%(name)s）；请逐个上传文件。") % {"name": name})
    if len(data) > 262 and data[257:262] == b"ustar":
        raise Refused(_("不接受压缩包（tar）；请逐个上传文件。"))
    if head.startswith(b"%PDF-"):
        if _pdf_active(data):
            raise Refused(_("PDF 含有脚本、启动程序或嵌入文件等可执行内容，已拒绝。"))
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office(data)
    return _text(data)


PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n")
MAX_INFLATED = 64 * 1024 * 1024  # how much of a PDF's compressed streams is looked into


def _pdf_active(data: bytes) -> bool:
    """Whether a PDF names active content (JavaScript, launch, embedded files), also when the
    name is written with #xx escapes or sits in a compressed object stream."""

    def named(chunk: bytes) -> bool:
        plain = PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), chunk)
        return bool(PDF_ACTIVE.search(plain)) or EICAR in plain

    if named(data):
        return True
    budget = MAX_INFLATED
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            break
        end = data.find(b"endstream", match.end())
        body = memoryview(data)[match.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(body, min(budget, 16 * 1024 * 1024))
        except zlib.error:
            continue
        budget -= len(inflated)
        if named(inflated):
            return True
    return False


def _office(data: bytes) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Refused(_("压缩结构已损坏，无法确认为 DOCX 或 XLSX。")) from exc
    names = {m.filename for m in members}
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise Refused(_("文件解压后过大（疑似压缩炸弹），已拒绝。"))
    if "[Content_Types].xml" not in names:
        raise Refused(_("不接受压缩包（ZIP）；请逐个上传文件。"))
    try:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        for member in members:
            if member.file_size <= 20 * 1024 * 1024 and EICAR in archive.read(member):
                raise Refused(_("文件含有病毒特征（EICAR 测试串），已拒绝。"))
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError) as exc:
        raise Refused(_("压缩结构已损坏，无法确认为 DOCX 或 XLSX。")) from exc
    if any(MACRO_PARTS.search(n) for n in names) or any(t in types for t in MACRO_TYPES):
        raise Refused(_("不接受含宏或 ActiveX 的 Office 文件（如 .docm、.xlsm）。"))
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise Refused(_("不接受此类 Office 文件；仅接受 %(kinds)s。") % {"kinds": ALLOWED_LABELS})


def _text(data: bytes) -> Kind:
    if b"\x00" in data:
        raise Refused(_("无法识别的二进制文件；仅接受 %(kinds)s。") % {"kinds": ALLOWED_LABELS})
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = body.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise Refused(
                _("无法识别的文件类型；仅接受 %(kinds)s。") % {"kinds": ALLOWED_LABELS}
            ) from exc
    stripped = text.lstrip().encode("utf-8")
    if stripped.lower().startswith(SCRIPT_START):
        raise Refused(_("不接受脚本文件（如 shell、批处理、PHP）。"))
    if MARKUP.search(text.encode("utf-8")[:65536]):
        raise Refused(_("不接受 HTML、SVG 或 XML 标记文件（可含脚本）。"))
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        raise Refused(
            _("文本含有控制字符，无法识别为 TXT；仅接受 %(kinds)s。") % {"kinds": ALLOWED_LABELS}
        )
    return TXT
