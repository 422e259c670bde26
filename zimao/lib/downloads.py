"""File names for downloads: the meaningful (Chinese) name for today's browsers, an ASCII one
for the rest.

`Content-Disposition: attachment; filename="ascii.docx"; filename*=UTF-8''%E6%88%90…` (RFC 6266
with the RFC 5987 encoding): every current browser saves the file under the UTF-8 name, and a
client that only knows `filename` still gets a usable one.
"""

import re
from pathlib import PurePath
from urllib.parse import quote

UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]')


def safe_name(name: str) -> str:
    """A file name without path separators, quotes or characters Windows refuses."""
    cleaned = UNSAFE.sub("_", name).strip(" .")
    return cleaned or "download"


def ascii_fallback(name: str, fallback: str = "") -> str:
    """`fallback`, or the name's ASCII characters (its extension kept), or "download.ext"."""
    if fallback:
        return safe_name(fallback)
    path = PurePath(safe_name(name))
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-._")
    suffix = path.suffix if path.suffix.isascii() else ""
    return f"{stem or 'download'}{suffix}"


def attachment(name: str, fallback: str = "") -> str:
    """The Content-Disposition value for downloading `name`."""
    name = safe_name(name)
    plain = ascii_fallback(name, fallback)
    if name == plain:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
