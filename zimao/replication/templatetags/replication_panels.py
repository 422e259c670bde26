"""Replication panels shown on other apps' pages (the zone page), loaded by name in templates so
the zones app never imports replication."""

from typing import Any

from django import template

from zimao.replication.selectors import ItemFilters, item_list, zone_progress

register = template.Library()


@register.inclusion_tag("replication/_zone_panel.html")
def zone_replication(zone: Any) -> dict[str, Any]:
    """How far the zone has replicated what it was asked to, and the items it originated."""
    return {
        "progress": zone_progress(zone.code, zone.province),
        "items": item_list(ItemFilters(zone=zone.code)),
    }
