"""Small template helpers shared by the pages."""

import time

from django import template

from zimao.zones.models import Zone

register = template.Library()


_ZONES: dict[str, Zone] = {}
_ZONES_READ_AT = 0.0


def _zones() -> dict[str, Zone]:
    """All zones by code, read at most once a minute (22 rows, changed by the loader only)."""
    global _ZONES_READ_AT
    if time.monotonic() - _ZONES_READ_AT > 60 or not _ZONES:
        _ZONES.clear()
        _ZONES.update({z.code: z for z in Zone.objects.all()})
        _ZONES_READ_AT = time.monotonic()
    return _ZONES


@register.filter
def zone_name(code: str) -> str:
    """The display name of a zone code (上海自贸试验区 / Shanghai FTZ); the code if unknown."""
    if not code:
        return ""
    zone = _zones().get(code)
    return zone.name if zone else code


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """mapping[key] in a template, or None."""
    return mapping.get(key)
