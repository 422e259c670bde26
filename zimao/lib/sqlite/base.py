"""Django's SQLite backend, with writers taking turns at the write lock, woken as soon as it
is free.

SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps
and polls (up to 100 ms between tries) and serves no one first. In a web server of several
threads per process, every thread that waits polls, and a transaction that holds the lock runs
slower for them; and a writer in another process (the other server workers, the job worker,
`zimao reindex`) is noticed only at the next poll, so each write of a busy server could wait up
to 100 ms more than the lock was held. Here a transaction first waits for this process's other
writing transactions on a plain lock, then for other processes on an advisory file lock beside
the database (`<database>-writers`, polled every few milliseconds), and only then takes
SQLite's lock, which is then free unless a process outside this backend (the sqlite3 shell)
holds it: that one is waited for in SQLite's busy handler, as before. Each wait is bounded by
the busy timeout (the connection's own, for the file lock: see `audit.writes`) and ends in the
same "database is locked" error.
"""

import fcntl
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3 import base

_WRITING = threading.Lock()
_files: dict[tuple[int, str], int] = {}  # (process, lock file) -> descriptor, opened once
POLL_SECONDS = (0.0005, 0.005)  # first and longest pause between two tries at the file lock


def writers_lock_path(name: object) -> str | None:
    """The file other processes' writers take turns on; none for an in-memory database."""
    text = str(name or "")
    if not text or text == ":memory:" or "mode=memory" in text:
        return None
    return f"{text}-writers"


def _descriptor(path: str) -> int:
    """This process's descriptor of the lock file (a child process opens its own: a lock
    belongs to an open file, which a fork would share)."""
    key = (os.getpid(), path)
    if key not in _files:
        _files[key] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    return _files[key]


def take_turn(path: str, seconds: float) -> bool:
    """Take the file lock, waiting at most `seconds`; False when another process kept it."""
    descriptor = _descriptor(path)
    deadline = time.monotonic() + seconds
    pause = POLL_SECONDS[0]
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, POLL_SECONDS[1])


def end_turn(path: str) -> None:
    fcntl.flock(_descriptor(path), fcntl.LOCK_UN)


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_turn = False
    _holds_file: str | None = None

    def _start_transaction_under_autocommit(self) -> None:
        wait = self._busy_timeout()  # lowered for the work after a commit, as for SQLite's own
        if not _WRITING.acquire(timeout=wait):
            raise OperationalError("database is locked (by this process's other writers)")
        self._holds_turn = True
        try:
            path = writers_lock_path(self.settings_dict["NAME"])
            if path is not None:
                if not take_turn(path, self._busy_timeout()):
                    raise OperationalError("database is locked (by another process's writer)")
                self._holds_file = path
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._end_turn()
            raise

    def _busy_timeout(self) -> float:
        """The connection's busy timeout in seconds (the work after a commit lowers it)."""
        row = self.connection.execute("PRAGMA busy_timeout").fetchone()
        return (row[0] if row else settings.SQLITE_BUSY_TIMEOUT_MS) / 1000

    def _end_turn(self) -> None:
        if self._holds_file is not None:
            path, self._holds_file = self._holds_file, None
            end_turn(path)
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
