"""Helpers for files that people open in spreadsheets (CSV exports)."""

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Return VALUE with text that a spreadsheet would run as a formula neutralised.

    Such text gets a leading single quote. Text that already starts with a quote gets one
    more, so `unsafe_cell` can always undo exactly this. Numbers are left alone: -5 is data.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "'")):
        return "'" + value
    return value


def unsafe_cell(text: str) -> str:
    """Undo `safe_cell` on a cell read back from a CSV export."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_PREFIXES, "'")):
        return text[1:]
    return text
