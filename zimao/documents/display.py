"""How documents and facts read on the review page: Chinese type labels, payloads as labelled
values (zone and domain names, 是/否), the quoted text in its context instead of offsets, and
reading errors in Chinese."""

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.lib import labels
from zimao.vocab.models import Domain
from zimao.zones.models import Zone

from .models import Document, Fact

CONTEXT_CHARS = 30
# Payload keys shown for each type, in this order; the rest (table names, ranks) are internal.
SHOWN = {
    "zone": ("zone", "area"),
    "quantity": ("value", "value_max", "unit", "approx", "redacted", "indicator", "year"),
    "effect": ("measure", "before", "after", "unit", "change_pct", "change_abs", "direction"),
    "date": ("date", "redacted"),
    "case": ("title", "zone", "domain"),
    "table_row": ("seq", "item", "responsible_unit", "scope", "cells"),
}
FORMATS = {
    "pdf": "PDF",
    "docx": "Word",
    "html": "HTML",
    "text": gettext_lazy("纯文本"),
    "txt": gettext_lazy("纯文本"),
}


@dataclass
class Names:
    zones: dict[str, str]
    domains: dict[str, str]

    @classmethod
    def load(cls) -> "Names":
        return cls(
            {z.code: z.name for z in Zone.objects.all()},
            {d.code: d.name for d in Domain.objects.all()},
        )


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def value_text(key: str, value: Any, names: Names) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key == "zone":
        return names.zones.get(str(value), _("未识别的自贸试验区"))
    if key == "domain":
        return names.domains.get(str(value), _("未分领域"))
    if key == "direction":
        return str(labels.DIRECTIONS.get(str(value), value))
    if key == "change_pct" and isinstance(value, int | float):
        return f"{_number(value)}%"
    if isinstance(value, list):
        return " | ".join(str(v) for v in value if v not in (None, ""))
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def payload_rows(fact: Fact, names: Names) -> list[tuple[str, str]]:
    """(label, value) pairs of a fact's payload, empty values left out."""
    rows = []
    for key in SHOWN.get(fact.type, ()):
        value = fact.payload.get(key)
        if value is None or value == "" or value == [] or (key == "redacted" and not value):
            continue
        rows.append((labels.field_label(key), value_text(key, value, names)))
    return rows


_BREAKS = re.compile(r"\s*\n\s*")


def in_context(text: str, fact: Fact, width: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The words before, the quoted span and the words after (line breaks flattened)."""
    before = text[max(0, fact.start - width) : fact.start]
    after = text[fact.end : fact.end + width]
    quoted = text[fact.start : fact.end] or fact.text
    flat = [_BREAKS.sub(" ", part) for part in (before, quoted, after)]
    prefix = "……" if fact.start > width else ""
    suffix = "……" if fact.end + width < len(text) else ""
    return prefix + flat[0], flat[1], flat[2] + suffix


def confidence_text(fact: Fact) -> str:
    return f"{round(fact.confidence * 100)}%"


def format_label(document: Document) -> str:
    return str(FORMATS.get(document.format, document.format.upper() or "—"))


# Reasons the text reader gives (zimao.text.read), in the words of the person who uploaded.
ERRORS = [
    (
        re.compile(r"^not a text document"),
        gettext_lazy("不是可识别的文本文件：既不是 UTF-8、UTF-16 也不是 GB18030 编码的文字。"),
    ),
    (
        re.compile(r"^file starts with a .* BOM"),
        gettext_lazy("文件开头标明了编码，但内容与该编码不符，文件可能已损坏。"),
    ),
    (re.compile(r"^the PDF is damaged"), gettext_lazy("PDF 文件已损坏或不完整。")),
    (
        re.compile(r"^the PDF has no text layer"),
        gettext_lazy("该 PDF 没有文字层（可能是扫描件），需先做文字识别。"),
    ),
    (
        re.compile(r"^the Word file is damaged"),
        gettext_lazy("Word 文件已损坏（不是有效的 .docx 文件）。"),
    ),
    (re.compile(r"^the Word file expands"), gettext_lazy("Word 文件解压后大小异常，已拒绝处理。")),
    (re.compile(r"^the zip file is not a Word"), gettext_lazy("该压缩文件不是 Word 文档。")),
    (re.compile(r"^the Word file cannot be parsed"), gettext_lazy("无法解析该 Word 文件。")),
    (
        re.compile(r"^the text is one .*single line"),
        gettext_lazy("文件只有一行超长文字，不是可阅读的文档。"),
    ),
    (re.compile(r"^the file is larger than"), gettext_lazy("文件超过大小上限。")),
    (re.compile(r"^the file is empty"), gettext_lazy("文件是空的。")),
    (re.compile(r"^cannot read"), gettext_lazy("无法读取该文件。")),
]


_CHINESE_FIRST = re.compile(r"[\u4e00-\u9fff]")


def error_text(error: str) -> str:
    """A document's reading error in Chinese (the reader reports in English for the CLI)."""
    if not error:
        return ""
    if _CHINESE_FIRST.match(error):  # a limit or a failure already worded for the uploader
        return error
    for pattern, message in ERRORS:
        if pattern.search(error):
            return str(message)
    return _("无法读取该文件。")
