"""Reads for documents and facts, and the highlighted rendering of a document's text."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zimao.accounts.access import Action, Actor, visible

from .models import Document, Fact


def _count(facts: QuerySet[Fact, Any]) -> Coalesce:
    rows = facts.annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


DocumentsQS = TypeVar("DocumentsQS", bound=QuerySet[Any, Any])


@dataclass(frozen=True)
class DocumentFilter:
    """The documents list's filter: format, owner zone, year of import, words in the title."""

    format: str = ""
    zone: str = ""
    year: int | None = None
    q: str = ""

    def apply(self, documents: DocumentsQS) -> DocumentsQS:
        if self.format:
            formats = ("txt", "text") if self.format in ("txt", "text") else (self.format,)
            documents = documents.filter(format__in=formats)
        if self.zone == "-":  # national documents: no owner zone
            documents = documents.filter(zone__isnull=True)
        elif self.zone:
            documents = documents.filter(zone__code=self.zone)
        if self.year is not None:
            documents = documents.filter(created_at__year=self.year)
        if self.q:
            documents = documents.filter(title__icontains=self.q)
        return documents


def document_list(
    *, user: Actor, status: str = "", keep: DocumentFilter | None = None
) -> QuerySet[Document]:
    """Documents the user may read, newest first, with their fact counts. The counts are
    subqueries, not a GROUP BY over every document and its text: walked in the order of the
    (created_at, id) index, a page costs its own rows only."""
    facts = Fact.objects.filter(document=OuterRef("pk")).order_by().values("document")
    documents = visible(user, Document.objects.all()).annotate(
        fact_count=_count(facts), pending_count=_count(facts.filter(state=Fact.State.PENDING))
    )
    if keep is not None:
        documents = keep.apply(documents)
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


FILTER_TEXT_MAX = 100


@dataclass(frozen=True)
class FactFilter:
    """What the review page shows of a document's facts: a type, a review state and a piece
    of text, each optional. Read from a query string; unknown values are dropped, never an
    error (a stale bookmark still opens the page)."""

    type: str = ""
    state: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data: Mapping[str, Any]) -> "FactFilter":
        type_ = str(data.get("type", ""))[:20]
        state = str(data.get("state", ""))
        q = " ".join(str(data.get("q", "")).replace("\x00", "").split())[:FILTER_TEXT_MAX]
        return cls(
            type=type_ if type_.replace("_", "").isalnum() else "",
            state=state if state in Fact.State.values else "",
            q=q,
        )

    def apply(self, facts: QuerySet[Fact]) -> QuerySet[Fact]:
        if self.type:
            facts = facts.filter(type=self.type)
        if self.state:
            facts = facts.filter(state=self.state)
        if self.q:
            facts = facts.filter(text__icontains=self.q)
        return facts

    def query(self, **extra: str) -> str:
        """The filter as a query string (for links that keep it), with `extra` added."""
        pairs = {"type": self.type, "state": self.state, "q": self.q, **extra}
        return urlencode({k: v for k, v in pairs.items() if v})

    def __bool__(self) -> bool:
        return bool(self.type or self.state or self.q)


def fact_counts(document: Document) -> tuple[dict[str, int], dict[str, int]]:
    """How many facts of each type and in each review state the document has (two grouped
    queries, however many facts)."""
    facts = Fact.objects.filter(document=document).order_by()
    types = dict(facts.values_list("type").annotate(n=Count("pk")).values_list("type", "n"))
    states = dict(facts.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return types, states


# What a bulk decision changes: facts already so decided are left alone, and a corrected fact
# stays corrected when "accept all" is chosen (its correction is already an acceptance).
BULK_FROM = {
    "accept": (Fact.State.PENDING, Fact.State.REJECTED),
    "reject": (Fact.State.PENDING, Fact.State.ACCEPTED, Fact.State.CORRECTED),
}


def bulk_targets(user: Actor, document: Document, keep: FactFilter, action: str) -> QuerySet[Fact]:
    """The facts of `document` matching the filter that the user may review and that `action`
    would change."""
    facts = visible(user, Fact.objects.filter(document=document), Action.REVIEW)
    facts = keep.apply(facts).filter(state__in=BULK_FROM.get(action, ()))
    return facts.order_by("start", "id")


def fingerprint(pairs: list[tuple[int, int]]) -> str:
    """A digest of facts' (id, version) pairs: a confirm page carries it, so a fact changed by
    another reviewer after it was counted is noticed before anything is written."""
    digest = hashlib.sha256()
    for pk, version in sorted(pairs):
        digest.update(f"{pk}:{version};".encode())
    return digest.hexdigest()


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
