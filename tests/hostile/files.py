"""Hostile files built from nothing but zlib and zipfile: bombs, lies and deep nesting."""

import io
import struct
import zipfile
import zlib

MB = 1024 * 1024


def deflated(size: int) -> bytes:
    """A zlib stream of `size` blanks (a whole number of megabytes), built in milliseconds:
    after a full flush every megabyte compresses to the same bytes, so one is repeated."""
    chunk = b" " * MB
    packer = zlib.compressobj(9)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.flush()  # an empty final block and the checksum of two megabytes
    count = size // MB
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(chunk, checksum)
    body = first + repeated * (count - 1) + end[:-4]
    return body + struct.pack(">I", checksum)


def pdf(content: bytes, filters: str = "/FlateDecode", media_box: str = "0 0 595 842") -> bytes:
    """A one-page PDF whose page content stream is `content`, already encoded by `filters`."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>".encode(),
        f"<< /Length {len(content)} /Filter {filters} >>\nstream\n".encode()
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def text_pdf(text: str = "Pilot zone 2020: 300 new firms", media_box: str = "0 0 595 842") -> bytes:
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return pdf(zlib.compress(content), media_box=media_box)


def pdf_flate_bomb(inflated_mb: int = 1024) -> bytes:
    """One content stream that inflates to `inflated_mb` megabytes of blanks."""
    return pdf(deflated(inflated_mb * MB))


def pdf_nested_bomb(inflated_mb: int = 1024) -> bytes:
    """A stream compressed twice: one inflation gives a few megabytes, the second a
    gigabyte, so only the reader's process limits can stop it."""
    return pdf(zlib.compress(deflated(inflated_mb * MB), 9), "[/FlateDecode /FlateDecode]")


def docx_bomb(expanded_mb: int = 200, honest: bool = True) -> bytes:
    """A Word-shaped zip whose document.xml expands to `expanded_mb` megabytes; unless
    `honest`, the zip directory claims the member is tiny."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(b'<w:document xmlns:w="x"><w:body>')
            chunk = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * (MB // 36)
            for _ in range(expanded_mb):
                handle.write(chunk)
            handle.write(b"</w:body></w:document>")
    data = bytearray(buffer.getvalue())
    if not honest:
        entry = data.rfind(b"PK\x01\x02")
        struct.pack_into("<I", data, entry + 24, 1000)
    return bytes(data)


def deep_html(depth: int = 2_000_000) -> bytes:
    return (
        b"<html><body>" + b"<div>" * depth + "正文".encode() + b"</div>" * depth + b"</body></html>"
    )


def wide_html(tags: int = 600_000) -> bytes:
    return b"<html><body>" + b"<b>1</b>" * tags + b"</body></html>"
