"""PostgreSQL full text: the `simple` configuration over the same pre-segmented tokens.

ts_rank_cd is not BM25; it ranks by cover density. Results agree with the SQLite backend on
which entries match; the order of close scores may differ.

With `candidates`, a query matching more entries than that ranks only the newest `candidates`
of them (ids past a cut-off found without ranking): ts_rank_cd reads every hit's tsvector, and
a relaxed query of common words hits most of the table.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from . import Filters, Found, Hit, Match, as_match


def tsquery(match: Match) -> str:
    """The tsquery text: groups joined by &, alternatives by |, `exclude` negated with !."""
    return match.render(
        lambda w: "'" + w.replace("\\", "").replace("'", "''") + "'", "&", "|", "& !"
    )


class PostgresBackend:
    name = "postgresql-fts"

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
        where = " AND ".join(["e.tsv @@ q", *clauses])
        base = f"FROM search_searchentry e, to_tsquery('simple', %s) q WHERE {where}"
        arguments: list[Any] = [tsquery(as_match(tokens, any_token)), *params]
        with connection.cursor() as cursor:
            if candidates:
                # The newest candidates + 1 matches that pass the filters, unranked; only
                # those are ranked, each read by its key.
                cursor.execute(
                    f"SELECT e.id {base} ORDER BY e.id DESC LIMIT %s", [*arguments, candidates + 1]
                )
                found = [row[0] for row in cursor.fetchall()]
                if not found:
                    return Found(0, [])
                newest, exact = found[:candidates], len(found) <= candidates
                total = len(newest)
                base = "FROM search_searchentry e, to_tsquery('simple', %s) q WHERE e.id = ANY(%s)"
                arguments = [arguments[0], newest]
            else:
                cursor.execute(f"SELECT count(*) {base}", arguments)
                total, exact = cursor.fetchone()[0], True
            cursor.execute(
                f"SELECT e.id, ts_rank_cd(e.tsv, q) AS score {base} "
                "ORDER BY score DESC, e.id LIMIT %s OFFSET %s",
                [*arguments, limit, offset],
            )
            hits = [Hit(row[0], float(row[1])) for row in cursor.fetchall()]
        return Found(total, hits, exact=exact)
