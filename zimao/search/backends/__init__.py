"""Full-text backends behind one interface: same tokens in, same results contract out."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Q


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    zone: str = ""
    area: str = ""
    domain: str = ""
    batch: str = ""
    year: int | None = None
    # What the caller may see (zimao.accounts.access.scope_q); None: no restriction.
    access: Q | None = field(default=None, compare=False)

    def sql(self, alias: str) -> tuple[list[str], list[Any]]:
        """WHERE clauses and parameters for the entry table under `alias`."""
        clauses: list[str] = []
        params: list[Any] = []
        for column in ("kind", "zone", "area", "domain", "batch", "year"):
            value = getattr(self, column)
            if value in ("", None):
                continue
            if column == "kind" and "," in value:  # several kinds at once: "item,innovation"
                kinds = value.split(",")
                clauses.append(f"{alias}.kind IN ({', '.join(['%s'] * len(kinds))})")
                params += kinds
            elif column == "zone":  # its own zone, or one of the several it names
                clauses.append(f"({alias}.zone = %s OR {alias}.zones LIKE %s)")
                params += [value, f"% {value} %"]
            else:
                clauses.append(f"{alias}.{column} = %s")
                params.append(value)
        if self.access is not None:
            access_sql, access_params = access_clause(self.access, alias)
            if access_sql:
                clauses.append(access_sql)
                params.extend(access_params)
        return clauses, params


def access_clause(condition: Q, alias: str) -> tuple[str, list[Any]]:
    """The access filter compiled by the ORM, so raw full-text SQL applies exactly the rule
    the access layer states (no second copy of it)."""
    from zimao.search.models import SearchEntry

    query = SearchEntry.objects.filter(condition).query
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = query.where.as_sql(compiler, connection)
    except EmptyResultSet:
        return "1 = 0", []
    except FullResultSet:
        return "", []
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    return (f"({sql.replace(f'{table}.', f'{alias}.')})" if sql else ""), list(params)


Alternative = tuple[str, ...]  # words that must all occur


@dataclass(frozen=True)
class Match:
    """Which entries match: for every group, at least one alternative with all its words;
    minus the entries `exclude` matches. Each backend turns this into its own syntax."""

    groups: tuple[tuple[Alternative, ...], ...]
    exclude: "Match | None" = None

    @classmethod
    def of(cls, tokens: Sequence[str], any_token: bool = False) -> "Match":
        """Every word (or, with `any_token`, any word) of a plain word list."""
        if any_token:
            return cls((tuple((t,) for t in tokens),))
        return cls(tuple(((t,),) for t in tokens))

    def render(self, quote: Callable[[str], str], and_: str, or_: str, and_not: str) -> str:
        """The match in a boolean query syntax, fully parenthesised."""

        def join(parts: list[str], operator: str) -> str:
            return parts[0] if len(parts) == 1 else "(" + f" {operator} ".join(parts) + ")"

        positive = f" {and_} ".join(
            join([join([quote(w) for w in alt], and_) for alt in group], or_)
            for group in self.groups
        )
        if self.exclude is None:
            return positive
        negative = self.exclude.render(quote, and_, or_, and_not)
        return f"({positive}) {and_not} ({negative})"

    def words(self) -> list[str]:
        """The distinct words this match looks for, in order (not those it excludes)."""
        seen = dict.fromkeys(w for group in self.groups for alt in group for w in alt)
        return list(seen)


def as_match(tokens: "Sequence[str] | Match", any_token: bool) -> Match:
    return tokens if isinstance(tokens, Match) else Match.of(tokens, any_token)


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float


@dataclass(frozen=True)
class Found:
    """What a backend found: how many entries match (when `exact` is false, only the newest
    that many were ranked: more match), and one page of hits, best first."""

    total: int
    hits: list[Hit]
    exact: bool = True


class Backend(Protocol):
    name: str

    def search(
        self,
        tokens: "Sequence[str] | Match",
        filters: Filters,
        *,
        limit: int,
        offset: int,
        any_token: bool = False,
        candidates: int | None = None,
    ) -> Found:
        """Return the number of matches and one page of hits, best first.

        `tokens` is a word list (all words, or any with `any_token`) or a `Match`. With
        `candidates`, a query matching more entries ranks only the newest `candidates` of
        them, and the count stops there (`exact` false): the cost stays flat as data grows."""


def get_backend() -> Backend:
    """The full-text index of the database in use: FTS5 on SQLite, tsvector on PostgreSQL."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()
