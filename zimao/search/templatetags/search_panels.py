"""Search panels other apps' pages show: loaded by name in their templates, so those apps never
import the search app (the arrows run from search to them, not back)."""

from typing import Any

from django import template

from zimao.search.selectors import similar_to

register = template.Library()


@register.inclusion_tag("search/_similar.html", takes_context=True)
def similar_reforms(context: dict[str, Any], kind: str, object_id: object) -> dict[str, Any]:
    """Similar innovations, items and passages elsewhere that the viewer may see."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"similar": similar_to(kind, str(object_id), user=user)}
