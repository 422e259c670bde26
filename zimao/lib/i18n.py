"""Pick the Chinese or English form of a bilingual field for the active language."""

from typing import Any

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(obj: Any, field: str) -> str:
    """Return obj.<field>_en in English when it is filled in, else obj.<field>_zh."""
    if is_english():
        value = getattr(obj, f"{field}_en", "")
        if value:
            return str(value)
    return str(getattr(obj, f"{field}_zh"))
