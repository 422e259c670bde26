"""Small template helpers shared by the pages."""

from django import template

from zimao.zones.models import Zone

register = template.Library()


@register.filter
def zone_name(code: str) -> str:
    """The display name of a zone code (上海自贸试验区 / Shanghai FTZ); the code if unknown."""
    if not code:
        return ""
    zone = Zone.objects.filter(code=code).first()
    return zone.name if zone else code


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """mapping[key] in a template, or None."""
    return mapping.get(key)
