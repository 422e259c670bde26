"""Files of every kind an office uploads, and the hostile ones, built in memory."""

import io
import struct
import zipfile
import zlib

from tests.hostile.files import text_pdf

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def png() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def docx(text: str = "四川自贸试验区本月完成企业开办一网通办改造。") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["编号", "进展"])
    book.active.append(["T-1", "已完成线上申报"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_macros(data: bytes) -> bytes:
    """An Office file with a VBA project added (what a .docm/.xlsm carries)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("进展.txt", "本月进展")
    return out.getvalue()


def pdf() -> bytes:
    return text_pdf("Progress of task T-1")


def pdf_with_script() -> bytes:
    return pdf().replace(
        b"<< /Type /Catalog", b"<< /OpenAction << /S /JavaScript /JS (x) >> /Type /Catalog"
    )


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
TEXT = "一、企业开办全流程压缩至 1 个工作日。\n二、上线跨境贸易单一窗口。\n".encode()


def pdf_with_hidden_script() -> bytes:
    """JavaScript named with #xx escapes inside a compressed stream."""
    from tests.hostile.files import pdf as build

    return build(zlib.compress(b"<< /S /Java#53cript /J#53 (app.alert(1)) >>"))
