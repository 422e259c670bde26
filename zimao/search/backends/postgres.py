"""PostgreSQL full text: the `simple` configuration over the same pre-segmented tokens.

ts_rank_cd is not BM25; it ranks by cover density. Results agree with the SQLite backend on
which entries match; the order of close scores may differ.
"""

from collections.abc import Sequence

from django.db import connection

from . import Filters, Hit, Match, as_match


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
    ) -> tuple[int, list[Hit]]:
        clauses, params = filters.sql("e")
        where = " AND ".join(["e.tsv @@ q", *clauses])
        base = f"FROM search_searchentry e, to_tsquery('simple', %s) q WHERE {where}"
        arguments = [tsquery(as_match(tokens, any_token)), *params]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", arguments)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT e.id, ts_rank_cd(e.tsv, q) AS score {base} "
                "ORDER BY score DESC, e.id LIMIT %s OFFSET %s",
                [*arguments, limit, offset],
            )
            hits = [Hit(row[0], float(row[1])) for row in cursor.fetchall()]
        return total, hits
