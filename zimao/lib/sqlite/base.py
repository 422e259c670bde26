"""Django's SQLite backend, with the threads of one process taking turns at the write lock.

SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps
and polls (up to 100 ms between tries) and serves no one first. In a web server of several
threads per process, every thread that waits polls, and a transaction that holds the lock runs
slower for them. Here a transaction first waits for this process's other writing transactions
on a plain lock (woken as soon as it is free), then for other processes (the job worker,
`zimao reindex`) in SQLite's busy handler, as before. The wait for the lock is bounded by the
same busy timeout, and ends in the same "database is locked" error.
"""

import threading
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3 import base

_WRITING = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_turn = False

    def _start_transaction_under_autocommit(self) -> None:
        wait = settings.SQLITE_BUSY_TIMEOUT_MS / 1000
        if not _WRITING.acquire(timeout=wait):
            raise OperationalError("database is locked (by this process's other writers)")
        self._holds_turn = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._end_turn()
            raise

    def _end_turn(self) -> None:
        if self._holds_turn:
            self._holds_turn = False
            _WRITING.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._end_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._end_turn()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._end_turn()
