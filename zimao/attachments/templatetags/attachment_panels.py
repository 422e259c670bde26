from typing import Any

from django import template

from zimao.accounts.access import visible

from ..services import may_change, model_for

register = template.Library()


def _files(user: Any, record: Any) -> list[Any]:
    """The record's attachments the viewer may read: prefetched by the page (through the
    access layer) or read here."""
    cache = getattr(record, "_prefetched_objects_cache", {})
    if "attachments" in cache:
        return list(cache["attachments"])
    return list(visible(user, model_for(record)._default_manager.filter(**{"target": record})))


@register.inclusion_tag("attachments/_panel.html", takes_context=True)
def attachment_panel(context: dict[str, Any], record: Any, compact: bool = False) -> dict[str, Any]:
    """The files of a task, adoption or innovation, and for its editors upload and delete."""
    user = getattr(context.get("request"), "user", None)
    return {
        "record": record,
        "kind": model_for(record).KIND_NAME,
        "files": _files(user, record),
        "can_change": bool(user and user.is_authenticated) and may_change(user, record),
        "compact": compact,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("attachments/_links.html", takes_context=True)
def attachment_links(context: dict[str, Any], record: Any) -> dict[str, Any]:
    """Just the file links of a record in a list (the page prefetched them)."""
    user = getattr(context.get("request"), "user", None)
    return {"files": _files(user, record)}
