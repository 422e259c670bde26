"""Whole-page cache for anonymous visitors.

Every visitor who is not signed in sees the same page for the same path and language, so the
rendered page is kept in a cache shared by all server processes (files under var/cache by
default) and served without touching the database. Entries are keyed by a *generation* that
any committed change replaces, so a page never outlives the data it shows; the timeout is only a
backstop for writes made behind the ORM's back.
"""

from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import models, transaction

GENERATION_KEY = "zimao:page-generation"


def _cache() -> BaseCache:
    return caches[settings.PAGE_CACHE_ALIAS]


def generation() -> str:
    """The current data generation (made on first use)."""
    value = _cache().get(GENERATION_KEY)
    if value is None:
        _cache().add(GENERATION_KEY, uuid4().hex, timeout=None)
        value = _cache().get(GENERATION_KEY)
    return str(value)


def bump() -> None:
    """Make every cached page stale: called after a commit that changed data."""
    _cache().set(GENERATION_KEY, uuid4().hex, timeout=None)


def bump_after_commit() -> None:
    """Once per transaction, however many rows it saves."""
    connection = transaction.get_connection()
    if any(func is bump for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(bump)


def changed(sender: type[models.Model], **kwargs: Any) -> None:
    """A committed change to a record (the `record_changed` receiver): pages showing it go
    stale once the current transaction commits. Records no anonymous page shows are skipped."""
    meta = sender._meta
    if {meta.app_label, meta.label_lower} & settings.PAGE_CACHE_IGNORE:
        return
    bump_after_commit()
