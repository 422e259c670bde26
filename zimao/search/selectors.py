"""Search: parse the query, ask the backend, build snippets with highlight offsets."""

import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import Case, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zimao.accounts.access import Actor, scope_q, visible
from zimao.text.segment import load_dictionary

from .backends import Backend, Filters, Found, Hit, Match, get_backend
from .models import EDITORIAL_MARK, SearchEntry
from .query import ParsedQuery, parse_query
from .similarity import Similar, similar_entries

SNIPPET_CHARS = 120


RELAX_BELOW = 10  # fewer strict matches than this: relaxed matches follow them


_BREAK = re.compile(r"[ \t]*[\r\n\f]+[ \t]*")


def _joiner(match: re.Match[str]) -> str:
    """A line break inside Chinese text is a PDF artefact (nothing); between Latin words or
    numbers it stands for a space."""
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return " " if before.isascii() and after.isascii() and before and after else ""


def flow(text: str) -> str:
    """Text with the line breaks of its source (PDF lines, form feeds) taken out."""
    return _BREAK.sub(_joiner, text)


@dataclass
class Result:
    entry: SearchEntry
    score: float
    snippet: str
    snippet_start: int
    highlights: list[tuple[int, int]]  # offsets into entry.body
    relaxed: bool = False  # found by the relaxed match, ranked after every strict match

    @property
    def editorial(self) -> bool:
        """Whether the snippet shows editorial text (an item's everyday words), which the
        page then marks as not official."""
        mark = self.entry.body.find(EDITORIAL_MARK)
        return mark >= 0 and self.snippet_start + len(self.snippet) > mark

    @property
    def snippet_html(self) -> SafeString:
        parts: list[str] = []
        position = self.snippet_start
        end = self.snippet_start + len(self.snippet)
        for start, stop in self.highlights:
            if stop <= self.snippet_start or start >= end:
                continue
            start, stop = max(start, self.snippet_start), min(stop, end)
            parts.append(escape(flow(self.entry.body[position:start])))
            parts.append(f"<mark>{escape(flow(self.entry.body[start:stop]))}</mark>")
            position = stop
        parts.append(escape(flow(self.entry.body[position:end])))
        return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped


@dataclass
class Results:
    query: ParsedQuery
    filters: Filters
    total: int
    results: list[Result]
    backend: str
    relaxed: bool = False  # relaxed matches follow the strict ones
    suggestions: list[str] = field(default_factory=list)
    without_filters: int | None = None
    strict_total: int | None = None  # matches of every word (in any of its forms)
    zone_only: bool = False  # the query named a zone and nothing else: its records are listed
    # False: more entries match than were ranked (settings.SEARCH_CANDIDATES, the newest of
    # them), and `total` is that bound: pages say "N+".
    exact: bool = True
    without_filters_exact: bool = True

    @property
    def strict_results(self) -> list[Result]:
        return [r for r in self.results if not r.relaxed]

    @property
    def relaxed_results(self) -> list[Result]:
        return [r for r in self.results if r.relaxed]


def highlight_spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where the query words occur in `text` (case-insensitive), merged and sorted."""
    lowered = text.lower()
    spans = []
    for token in tokens:
        for match in re.finditer(re.escape(token), lowered):
            spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _result(entry: SearchEntry, score: float, tokens: list[str], relaxed: bool = False) -> Result:
    spans = highlight_spans(entry.body, tokens)
    first = spans[0][0] if spans else 0
    start = max(0, first - SNIPPET_CHARS // 3)
    return Result(entry, score, entry.body[start : start + SNIPPET_CHARS], start, spans, relaxed)


def suggestions(parsed: ParsedQuery, limit: int = 5) -> list[str]:
    """Dictionary terms sharing the most characters with the query, for a no-results page."""
    chars = set("".join(parsed.tokens) or parsed.text)
    if not chars:
        return []
    scored = [(len(chars & set(term)), -len(term), term) for term in load_dictionary()]
    return [term for overlap, _, term in sorted(scored, reverse=True)[:limit] if overlap]


def _relaxed_page(
    backend: Backend,
    relaxed: Match,
    filters: Filters,
    hits: list[Hit],
    strict_total: int,
    limit: int,
    offset: int,
    bound: int | None,
) -> Found:
    """The relaxed matches that fill the page after the strict ones."""
    return backend.search(
        relaxed,
        filters,
        limit=limit - len(hits),
        offset=max(0, offset - strict_total),
        candidates=bound,
    )


# A spoken question has a handful of candidate words (at most 10 in the blind query sets); a
# pasted paragraph must not cost one probe per word.
UNKNOWN_PROBES = 12


def unknown_words(parsed: ParsedQuery, backend: Backend, filters: Filters) -> tuple[str, ...]:
    """The query's short words that no entry the reader may see has (nothing else to go on:
    洋车), whose characters the relaxed match then tries; one cheap index probe per word."""
    visible_to_reader = Filters(access=filters.access)
    unknown = tuple(
        word
        for word in parsed.unknown_candidates()[:UNKNOWN_PROBES]
        if backend.search([word], visible_to_reader, limit=1, offset=0, candidates=1).total == 0
    )
    # Only beside words that are known: a query of unknown words alone (量子隧穿) is about
    # something else, and its characters would find noise instead of "no results".
    known = [t for t in parsed.tokens if len(t) > 1 and t not in unknown]
    return unknown if known else ()


def search(
    raw: str,
    filters: Filters | None = None,
    *,
    user: Actor,
    limit: int = 10,
    offset: int = 0,
) -> Results:
    """Run a query for `user`, who finds only what they may see; zone names in it become a zone
    filter unless one is given.

    Entries with every word of the query (in any form of the synonym table) come first. When
    there are fewer than RELAX_BELOW of them, entries with any word, synonym or sub-word follow,
    ranked among themselves and flagged as relaxed.
    """
    parsed = parse_query(raw)
    filters = replace(filters or Filters(), access=scope_q(user, SearchEntry))
    if parsed.zone and not filters.zone:
        filters = replace(filters, zone=parsed.zone)
    backend = get_backend()
    if not parsed.tokens:
        if parsed.zone:
            return zone_records(parsed, filters, user=user, limit=limit, offset=offset)
        return Results(parsed, filters, 0, [], backend.name)
    strict = parsed.strict()
    bound = settings.SEARCH_CANDIDATES or None
    found = backend.search(strict, filters, limit=limit, offset=offset, candidates=bound)
    strict_total, hits, exact = found.total, found.hits, found.exact
    total, loose = strict_total, list[Hit]()
    relaxed = parsed.relaxed()
    if strict_total < RELAX_BELOW and (parsed.relaxable or parsed.unknown_candidates()):
        more = _relaxed_page(backend, relaxed, filters, hits, strict_total, limit, offset, bound)
        if strict_total + more.total < RELAX_BELOW:  # still few: try unknown words' characters
            unknown = unknown_words(parsed, backend, filters)
            if unknown:
                relaxed = parsed.relaxed(unknown)
                more = _relaxed_page(
                    backend, relaxed, filters, hits, strict_total, limit, offset, bound
                )
        total, loose, exact = total + more.total, more.hits, exact and more.exact
    entries = visible(user, SearchEntry.objects.all()).in_bulk([h.entry_id for h in hits + loose])
    strict_words, loose_words = strict.words(), relaxed.words()
    flagged = [(h, False) for h in hits] + [(h, True) for h in loose]
    results = [
        _result(entries[h.entry_id], h.score, loose_words if flag else strict_words, flag)
        for h, flag in flagged
        if h.entry_id in entries
    ]
    outcome = Results(
        parsed,
        filters,
        total,
        results,
        backend.name,
        total > strict_total,
        strict_total=strict_total,
        exact=exact,
    )
    if total == 0:
        outcome.suggestions = suggestions(parsed)
        if filters != Filters():
            unfiltered = backend.search(
                Match(relaxed.groups),
                Filters(access=filters.access),
                limit=1,
                offset=0,
                candidates=bound,
            )
            outcome.without_filters = unfiltered.total
            outcome.without_filters_exact = unfiltered.exact
    return outcome


# A zone's documents (those about it, few) come before its pilot tasks (hundreds a plan).
KIND_ORDER = ["innovation", "item", "document", "task", "passage"]


def zone_records(
    parsed: ParsedQuery, filters: Filters, *, user: Actor, limit: int, offset: int
) -> Results:
    """A query that only names a zone (沪, 上海自贸区, 四川): the zone's records the user may
    see, innovations and replicated items first, newest first within each kind."""
    zone = filters.zone or parsed.zone
    entries = visible(
        user, SearchEntry.objects.filter(Q(zone=zone) | Q(zones__contains=f" {zone} "))
    )
    for column in ("kind", "domain", "batch", "year"):
        value = getattr(filters, column)
        if value not in ("", None):
            entries = entries.filter(**{column: value})
    order = Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
    )
    total = entries.count()
    page = entries.annotate(kind_order=order).order_by("kind_order", "-id")[offset : offset + limit]
    results = [_result(entry, 0.0, []) for entry in page]
    return Results(parsed, filters, total, results, "zone", zone_only=True)


def similar_to(kind: str, object_id: str, *, user: Actor, limit: int = 5) -> list[Similar]:
    """Similar entries the user may see, for a record's own entry (if the user may see it)."""
    entry = visible(user, SearchEntry.objects.filter(kind=kind, object_id=object_id)).first()
    if entry is None:
        return []
    return similar_entries(entry, access=scope_q(user, SearchEntry), limit=limit)


def as_dict(result: Result) -> dict[str, Any]:
    entry = result.entry
    return {
        "kind": entry.kind,
        "id": entry.object_id,
        "title": entry.title,
        "url": entry.url,
        "zone": entry.zone or None,
        "domain": entry.domain or None,
        "batch": entry.batch or None,
        "year": entry.year,
        "score": round(result.score, 4),
        "relaxed": result.relaxed,
        "editorial": result.editorial,
        "snippet": result.snippet,
        "snippet_start": result.snippet_start,
        "highlights": [list(span) for span in result.highlights],
    }
