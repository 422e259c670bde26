"""The query planner has table statistics after migrate and after the bulk operations."""

import pytest
from django.db import connection

from tests.factories import make_innovation
from zimao.lib.dbstats import refresh_statistics
from zimao.search import neighbours

pytestmark = pytest.mark.django_db


def analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables"
                " WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL"
            )
        return {row[0] for row in cursor.fetchall()}


def forget_statistics() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")


def test_the_migrated_database_has_statistics():
    assert "search_similarentry" in analysed_tables()


def test_a_rebuild_of_the_similar_records_refreshes_them(django_capture_on_commit_callbacks):
    forget_statistics()
    with django_capture_on_commit_callbacks(execute=True):
        make_innovation("保税维修一站式监管", "shanghai", published=True)
    neighbours.rebuild()
    assert {"search_similarentry", "search_searchentry"} <= analysed_tables()


def test_refreshing_is_idempotent():
    make_innovation("保税维修一站式监管", "shanghai", published=True)
    forget_statistics()
    refresh_statistics()
    refresh_statistics()
    assert "reforms_innovation" in analysed_tables()


def test_the_analyze_command_refreshes_the_statistics(settings, tmp_path):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    make_innovation("保税维修一站式监管", "shanghai", published=True)
    forget_statistics()
    call_command("analyze")
    assert "reforms_innovation" in analysed_tables()
