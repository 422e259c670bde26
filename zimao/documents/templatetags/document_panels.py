"""The evidence panel of an innovation page, loaded by name in its template so the reforms app
never imports documents."""

from typing import Any

from django import template

from zimao.accounts.access import visible
from zimao.documents.models import Document

register = template.Library()


@register.inclusion_tag("documents/_evidence.html", takes_context=True)
def evidence_panel(context: dict[str, Any], innovation: Any, can_edit: bool) -> dict[str, Any]:
    """The documents behind an innovation that the viewer may read, and (for its editors) the
    ones they may attach."""
    user = getattr(context.get("request"), "user", None)
    readable = visible(user, Document.objects.all())
    return {
        "innovation": innovation,
        "evidence": readable.filter(innovations=innovation),
        "fact_documents": readable.filter(facts__innovation=innovation).distinct(),
        "attachable": readable.filter(status=Document.Status.PROCESSED).order_by("-created_at")[
            :200
        ]
        if can_edit
        else [],
        "csrf_token": context.get("csrf_token"),
    }
