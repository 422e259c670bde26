"""Downloads of lists as CSV or XLSX: the names pages use, kept here; the code and the one
formula-escape rule live in `zimao.lib.tabular`."""

from typing import Any

from .tabular import FORMATS, XLSX, escape, export_format, table_response, unescape


def safe_cell(value: Any) -> Any:
    """Text escaped by the one rule; numbers and other values unchanged (-5 is data)."""
    return escape(value) if isinstance(value, str) else value


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell` exactly once."""
    return unescape(text)


__all__ = [
    "FORMATS",
    "XLSX",
    "export_format",
    "safe_cell",
    "table_response",
    "unsafe_cell",
]
