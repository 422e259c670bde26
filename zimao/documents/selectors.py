"""Reads for documents and facts, and the highlighted rendering of a document's text."""

from itertools import pairwise
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zimao.accounts.access import Action, Actor, visible

from .models import Document, Fact


def _count(facts: QuerySet[Fact, Any]) -> Coalesce:
    rows = facts.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def document_list(*, user: Actor, status: str = "") -> QuerySet[Document]:
    """Documents the user may read, newest first, with their fact counts. The counts are
    subqueries, not a GROUP BY over every document and its text: walked in the order of the
    (created_at, id) index, a page costs its own rows only."""
    facts = Fact.objects.filter(document=OuterRef("pk")).order_by().values("document")
    documents = visible(user, Document.objects.all()).annotate(
        fact_count=_count(facts), pending_count=_count(facts.filter(state=Fact.State.PENDING))
    )
    documents = documents.order_by("-created_at", "-id")
    return documents.filter(status=status) if status else documents


def fact_list(
    *, user: Actor, document: int | None = None, type: str = "", state: str = ""
) -> QuerySet[Fact]:
    facts = visible(user, Fact.objects.all())
    if document is not None:
        facts = facts.filter(document_id=document)
    if type:
        facts = facts.filter(type=type)
    if state:
        facts = facts.filter(state=state)
    return facts.order_by("document_id", "start", "id")


def reviewable(user: Actor, facts: QuerySet[Fact]) -> set[int]:
    """Which of these facts the user may review (buttons are offered for these only)."""
    return set(visible(user, facts, Action.REVIEW).values_list("pk", flat=True))


def highlighted_text(text: str, facts: list[Fact], anchors: list[int] = ()) -> SafeString:  # type: ignore[assignment]
    """Return the text as HTML with every fact span marked (overlapping facts share segments)
    and an anchor at each of `anchors` (where search passages start)."""
    bounds = {0, len(text), *anchors}
    anchor_set = set(anchors)
    for fact in facts:
        bounds.update((fact.start, fact.end))
    points = sorted(b for b in bounds if 0 <= b <= len(text))
    starts: dict[int, list[Fact]] = {}
    for fact in facts:
        starts.setdefault(fact.start, []).append(fact)
    active: list[Fact] = []
    parts = []
    for a, b in pairwise(points):
        if a in anchor_set:
            parts.append(f'<a id="at-{a}"></a>')
        active = [f for f in active if f.end > a] + starts.get(a, [])
        chunk = escape(text[a:b])
        if active:
            types = " ".join(sorted({f"f-{f.type}" for f in active}))
            ids = " ".join(str(f.pk) for f in active)
            parts.append(f'<mark class="{types}" data-facts="{ids}">{chunk}</mark>')
        else:
            parts.append(chunk)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
