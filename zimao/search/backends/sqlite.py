"""SQLite FTS5 with BM25 over the pre-segmented tokens (the embedded default)."""

from django.db import connection

from . import Filters, Hit


def match_expression(tokens: list[str], any_token: bool) -> str:
    quoted = ['"' + t.replace('"', '""') + '"' for t in tokens]
    return (" OR " if any_token else " AND ").join(quoted)


class SQLiteBackend:
    name = "sqlite-fts5"

    def search(
        self, tokens: list[str], filters: Filters, *, limit: int, offset: int, any_token: bool
    ) -> tuple[int, list[Hit]]:
        clauses, params = filters.sql("e")
        where = " AND ".join(["search_fts MATCH %s", *clauses])
        base = f"FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid WHERE {where}"
        arguments = [match_expression(tokens, any_token), *params]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", arguments)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT e.id, bm25(search_fts) {base} ORDER BY bm25(search_fts), e.id "
                "LIMIT %s OFFSET %s",
                [*arguments, limit, offset],
            )
            hits = [Hit(row[0], -row[1]) for row in cursor.fetchall()]
        return total, hits
