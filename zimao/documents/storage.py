"""The store of original files: each content is kept once, under the hash of its bytes.

The store is write-once. The first writer of a content creates its file, complete, in one
step; a concurrent writer of the same content finds it there and writes nothing. Nothing here
deletes a stored file, so a store that fails or loses a race can never take away the file
another document points at (a file left without a document is reused by the next upload of
the same content).
"""

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection

T = TypeVar("T")


def content_name(sha256: str, original_name: str) -> str:
    suffix = PurePath(original_name).suffix.lower()[:10]
    return f"documents/{sha256[:2]}/{sha256}{suffix}"


def save_content(sha256: str, original_name: str, data: bytes) -> str:
    """Store `data` under its hash unless it is already there; return the storage name."""
    name = content_name(sha256, original_name)
    if default_storage.exists(name):
        return name
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # a remote storage: no local path, no rename
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another writer created `name` first; drop only our own copy
            default_storage.delete(saved)
        return name
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        with contextlib.suppress(FileExistsError):  # somebody else was first: keep theirs
            os.link(temporary, target)  # the file appears complete, in one step
    finally:
        os.unlink(temporary)
    return name


def when_unlocked(work: Callable[[], T], attempts: int = 60) -> T:
    """Run `work`, and again after a pause while SQLite reports its database locked by
    another writer. Other errors, and errors inside a caller's transaction, go through."""
    delay = 0.01
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            retry = "locked" in str(exc) and not connection.in_atomic_block
            if not retry or attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
    raise AssertionError("unreachable")  # pragma: no cover
