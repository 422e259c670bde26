"""Take SQLite's FTS5 table and triggers down and back up around a migration that rebuilds
the entry table (SQLite's ALTER TABLE cannot add most columns in place). PostgreSQL keeps its
generated column through such migrations and needs nothing."""

from django.db import migrations

DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
CREATE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        tokens, content='search_searchentry', content_rowid='id', tokenize='unicode61'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
        INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def _sqlite(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def drop() -> migrations.RunPython:
    return migrations.RunPython(_sqlite(DROP), _sqlite(CREATE))


def create() -> migrations.RunPython:
    return migrations.RunPython(_sqlite(CREATE), _sqlite(DROP))
