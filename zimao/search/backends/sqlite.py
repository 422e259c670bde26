"""SQLite FTS5 with BM25 over the pre-segmented tokens (the embedded default).

The full-text match runs first as a materialised CTE and the filters join onto it; a window
count gives the total in the same pass. (Letting the planner start from a filter index and
probe the FTS table per row is 30x slower at 100,000 entries.)

With `candidates`, a query matching more entries than that ranks only the newest `candidates`
of them (those past a rowid cut-off, found by walking the index in rowid order without
ranking): BM25 over every match of a common word costs time in proportion to the data.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from . import Filters, Found, Hit, Match, as_match


def expression(match: Match) -> str:
    """The FTS5 query: groups joined by AND, alternatives by OR, `exclude` after NOT."""
    return match.render(lambda w: '"' + w.replace('"', '""') + '"', "AND", "OR", "NOT")


MATCHES = (
    "WITH m AS MATERIALIZED "
    "(SELECT rowid AS id, rank AS score FROM search_fts WHERE search_fts MATCH %s) "
)


class SQLiteBackend:
    name = "sqlite-fts5"

    def search(
        self,
        tokens: Sequence[str] | Match,
        filters: Filters,
        *,
        limit: int,
        offset: int,
        any_token: bool = False,
        candidates: int | None = None,
    ) -> Found:
        clauses, params = filters.sql("e")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        text = expression(as_match(tokens, any_token))
        with connection.cursor() as cursor:
            if candidates and _more_than(cursor, text, candidates):
                # The newest candidates + 1 matches that pass the filters, unranked; only
                # those are ranked (BM25 over the index range they span, kept by id).
                filtered = "".join(f" AND {c}" for c in clauses)
                cursor.execute(
                    "SELECT f.rowid FROM search_fts f JOIN search_searchentry e ON e.id = f.rowid "  # noqa: S608 - clauses are the filters' own SQL
                    f"WHERE search_fts MATCH %s{filtered} "
                    "ORDER BY f.rowid DESC LIMIT %s",
                    [text, *params, candidates + 1],
                )
                found = [row[0] for row in cursor.fetchall()]
                if not found:
                    return Found(0, [])
                newest = found[:candidates]
                placeholders = ", ".join(["%s"] * len(newest))
                cursor.execute(
                    "WITH m AS MATERIALIZED (SELECT rowid AS id, rank AS score FROM search_fts "  # noqa: S608 - placeholders only
                    "WHERE search_fts MATCH %s AND rowid >= %s) "
                    f"SELECT m.id, m.score FROM m WHERE m.id IN ({placeholders}) "
                    "ORDER BY m.score, m.id LIMIT %s OFFSET %s",
                    [text, newest[-1], *newest, limit, offset],
                )
                hits = [Hit(row[0], -row[1]) for row in cursor.fetchall()]
                return Found(len(newest), hits, exact=len(found) <= candidates)
            body = f"FROM m JOIN search_searchentry e ON e.id = m.id {where}"
            arguments = [text, *params]
            cursor.execute(
                f"{MATCHES}SELECT e.id, m.score, count(*) OVER () {body} "
                "ORDER BY m.score, e.id LIMIT %s OFFSET %s",
                [*arguments, limit, offset],
            )
            rows = cursor.fetchall()
            if rows:
                total = rows[0][2]
            else:
                cursor.execute(f"{MATCHES}SELECT count(*) {body}", arguments)
                total = cursor.fetchone()[0]
        return Found(total, [Hit(row[0], -row[1]) for row in rows])


def _more_than(cursor: Any, text: str, candidates: int) -> bool:
    """Whether the full-text match alone (no filters, no ranking) has more than `candidates`
    entries: a cheap walk of the index that spares the filtered walk for rarer words."""
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s)",
        [text, candidates + 1],
    )
    return bool(cursor.fetchone()[0] > candidates)
