"""A committed write always answers success: what follows the commit (the search index, the page
cache) may fail — the index locked by a reindex, a database error — and the change is then
logged and retried, never reported to the writer as an error after it was saved.

These tests commit for real (transactional), so the work after the commit runs inside the
request exactly as on a server."""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction

from tests.factories import person
from zimao.accounts.models import Role
from zimao.audit.models import AuditEvent, PendingChange
from zimao.audit.writes import retry_pending
from zimao.reforms.models import Innovation
from zimao.search.models import SearchEntry
from zimao.search.services import index_record
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(client: Any) -> Iterator[Innovation]:
    """A zone office signed in, and one of its innovations already in the index."""
    names = {"name_zh": "中国（广东）自由贸易试验区", "short_name_zh": "广东", "province": "广东省"}
    zone, _ = Zone.objects.get_or_create(code="guangdong", defaults={**names, "batch": 2})
    client.force_login(person("zoe-office", Role.ZONE, zone=zone))
    innovation = Innovation.objects.create(title="港口危险货物集中查验", zone=zone)
    index_record(innovation)
    yield innovation


def indexed_title(innovation: Innovation) -> str:
    return SearchEntry.objects.get(kind="innovation", object_id=str(innovation.pk)).title


def patch(client: Any, innovation: Innovation, version: int, title: str) -> Any:
    return client.patch(
        f"/api/innovations/{innovation.pk}",
        {"version": version, "title": title},
        content_type="application/json",
    )


def saved_once(innovation: Innovation, title: str) -> None:
    stored = Innovation.objects.get(pk=innovation.pk)
    assert (stored.title, stored.version) == (title, 2)
    updates = AuditEvent.objects.filter(record_id=str(innovation.pk), action="update")
    assert [e.after["title"] for e in updates] == [title]


def test_a_write_answers_200_while_another_connection_holds_the_index(client, office):
    """The reindex case: another connection holds the lock the index update of a
    just-committed write needs (SQLite: the database's write lock; PostgreSQL: the entry's
    row)."""
    holding, release = threading.Event(), threading.Event()
    entry = SearchEntry.objects.get(kind="innovation", object_id=str(office.pk))

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                list(SearchEntry.objects.select_for_update().filter(pk=entry.pk))
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    state = {"written": False, "holder": None}

    def gets_in(sql: str) -> bool:
        """SQLite: before the first statement after the write's commit (the lock is taken at
        BEGIN). PostgreSQL: before the index is first read (the row lock blocks its update)."""
        if connection.vendor == "sqlite":
            return not connection.in_atomic_block
        return "search_searchentry" in sql

    def after_the_commit(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        """Once the write's own statements are done, another connection takes the lock."""
        if "audit_pendingchange" in sql and sql.lstrip().upper().startswith("INSERT"):
            state["written"] = True
        elif state["written"] and state["holder"] is None and gets_in(sql):
            holder = threading.Thread(target=hold_the_lock)
            holder.start()
            state["holder"] = holder
            assert holding.wait(10)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(after_the_commit):
            response = patch(client, office, 1, "港口危险货物联合查验")
    finally:
        release.set()
        if state["holder"] is not None:
            state["holder"].join(10)
    assert state["holder"] is not None  # the lock was really held after the commit
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    saved_once(office, "港口危险货物联合查验")
    assert indexed_title(office) == "港口危险货物集中查验"  # behind, and queued
    assert PendingChange.objects.filter(record_id=str(office.pk)).exists()

    assert retry_pending() == 1
    assert indexed_title(office) == "港口危险货物联合查验"
    assert not PendingChange.objects.exists()


@pytest.fixture
def failing_index() -> Iterator[None]:
    """A trigger that makes every update of a search entry fail, as a real database error."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER index_refuses BEFORE UPDATE ON search_searchentry "
                "BEGIN SELECT RAISE(ABORT, 'index refuses writes'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION index_refuses() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'index refuses writes'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER index_refuses BEFORE UPDATE ON search_searchentry "
                "FOR EACH ROW EXECUTE FUNCTION index_refuses()"
            )
    yield
    mend()


def mend() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS index_refuses")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS index_refuses ON search_searchentry")
            cursor.execute("DROP FUNCTION IF EXISTS index_refuses()")


def test_a_database_error_after_the_commit_is_logged_and_retried(
    client, office, failing_index, caplog
):
    response = patch(client, office, 1, "港口危险货物联合查验")
    assert response.status_code == 200, response.content
    saved_once(office, "港口危险货物联合查验")
    assert "queued for retry" in caplog.text
    again = patch(client, office, 1, "港口危险货物联合查验")
    assert again.status_code == 409  # a client that retries is told it was saved meanwhile
    assert indexed_title(office) == "港口危险货物集中查验"

    mend()
    # The next write that reaches the index also finishes the ones left behind.
    other = Innovation.objects.create(title="保税维修监管创新", zone=office.zone)
    assert patch(client, other, 1, "保税维修全程监管创新").status_code == 200
    assert indexed_title(office) == "港口危险货物联合查验"
    assert indexed_title(other) == "保税维修全程监管创新"
    assert not PendingChange.objects.exists()


def test_the_index_update_reads_and_tokenises_before_its_transaction(client, office):
    """After the commit, the index reads the record and its entry (and tokenises the text) with
    no transaction open: only its own writes hold the lock every other writer waits for."""
    seen: list[tuple[str, bool]] = []

    def note(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql.lstrip().upper(), connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        response = patch(client, office, 1, "港口危险货物联合查验")
    assert response.status_code == 200, response.content
    committed = max(i for i, (sql, _) in enumerate(seen) if 'INTO "AUDIT_PENDINGCHANGE"' in sql)
    after = seen[committed + 1 :]
    reads = [
        inside for sql, inside in after if sql.startswith("SELECT") and "SEARCH_SEARCHENTRY" in sql
    ]
    writes = [inside for sql, inside in after if sql.startswith('UPDATE "SEARCH_SEARCHENTRY"')]
    assert reads and not any(reads)
    assert writes == [True]
    assert indexed_title(office) == "港口危险货物联合查验"
    assert not PendingChange.objects.exists()
