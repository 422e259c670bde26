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
        "can_attach": can_edit,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("documents/_subject.html", takes_context=True)
def subject_panel(context: dict[str, Any], document: Document) -> dict[str, Any]:
    """What the document is about, the evidence weighed, and (for its reviewers) the form
    that corrects it."""
    from zimao.accounts.access import Action, allowed
    from zimao.documents.subject_review import SubjectForm, evidence_rows, subject_zones
    from zimao.zones.models import Zone

    user = getattr(context.get("request"), "user", None)
    codes = subject_zones(document)
    zones = Zone.objects.in_bulk(codes, field_name="code")
    can_correct = document.status == Document.Status.PROCESSED and allowed(
        user, Action.REVIEW, document
    )
    return {
        "document": document,
        "subjects": [zones[c] for c in codes if c in zones],
        "evidence": evidence_rows(document),
        "form": (context.get("subject_form") or SubjectForm(initial={"zones": codes}))
        if can_correct
        else None,
        "csrf_token": context.get("csrf_token"),
    }
