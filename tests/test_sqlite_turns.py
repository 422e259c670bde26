"""On SQLite the threads of one process take turns at the write lock (zimao.lib.sqlite): a
transaction waits for this process's writing transaction on a lock that wakes it at once, and
gives up after the busy timeout with the usual "database is locked". Writers of other processes
are waited for on a file lock beside the database, within the connection's busy timeout."""

import fcntl
import os
import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction

from zimao.audit.models import PendingChange
from zimao.lib.sqlite.base import writers_lock_path

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock"),
]


def _write(
    name: str,
    hold: float,
    started: threading.Event | None,
    out: list[object],
    busy_timeout_ms: int | None = None,
) -> None:
    try:
        if busy_timeout_ms is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        with transaction.atomic():
            if started is not None:
                started.set()
            PendingChange.objects.create(record_type="test.turn", record_id=name)
            time.sleep(hold)
        out.append(time.monotonic())
    except Exception as exc:
        out.append(exc)
    finally:
        connections.close_all()


def test_a_second_writer_waits_for_the_first_and_both_save():
    started, first, second = threading.Event(), [], []
    a = threading.Thread(target=_write, args=("a", 0.5, started, first))
    a.start()
    started.wait(5)
    b = threading.Thread(target=_write, args=("b", 0, None, second))
    b.start()
    a.join(10)
    b.join(10)
    assert isinstance(first[0], float) and isinstance(second[0], float)
    assert second[0] >= first[0]
    saved = PendingChange.objects.filter(record_type="test.turn")
    assert set(saved.values_list("record_id", flat=True)) == {"a", "b"}


def test_a_writer_gives_up_after_the_busy_timeout():
    """The connection's own busy timeout bounds the wait for this process's writer, so the
    work after a commit, which lowers it, gives up as soon as SQLite's wait would."""
    started, first, second = threading.Event(), [], []
    a = threading.Thread(target=_write, args=("a", 1.0, started, first))
    a.start()
    started.wait(5)
    b = threading.Thread(target=_write, args=("b", 0, None, second, 100))
    b.start()
    b.join(10)
    a.join(10)
    assert isinstance(second[0], OperationalError) and "locked" in str(second[0])
    assert list(
        PendingChange.objects.filter(record_type="test.turn").values_list("record_id", flat=True)
    ) == ["a"]


def another_process_writing() -> int:
    """The writers' file lock as another process holds it (a lock belongs to an open file, so
    a second open file of this process stands in for another process)."""
    path = writers_lock_path(connection.settings_dict["NAME"])
    assert path is not None
    other = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)
    return other


def test_a_writer_waits_for_another_processs_writer_then_saves():
    other, out = another_process_writing(), []
    writer = threading.Thread(target=_write, args=("b", 0, None, out))
    try:
        writer.start()
        writer.join(0.5)
        assert writer.is_alive() and out == []  # still waiting for the other process
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    writer.join(10)
    assert isinstance(out[0], float)
    assert PendingChange.objects.filter(record_type="test.turn", record_id="b").exists()


def test_the_wait_for_another_process_ends_with_the_connections_busy_timeout():
    other, out = another_process_writing(), []
    try:
        writer = threading.Thread(target=_write, args=("b", 0, None, out, 100))
        writer.start()
        writer.join(10)
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    assert isinstance(out[0], OperationalError) and "locked" in str(out[0])
    assert not PendingChange.objects.filter(record_type="test.turn").exists()
