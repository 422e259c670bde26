"""Whole-page cache for anonymous visitors.

Every visitor who is not signed in sees the same page for the same path and language, so the
rendered page is kept in a cache shared by all server processes (files under var/cache by
default) and served without touching the database. Entries are keyed by a *generation* that
any committed change replaces, so a page never outlives the data it shows; the timeout is only a
backstop for writes made behind the ORM's back.
"""

import logging
from uuid import uuid4

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction

GENERATION_KEY = "zimao:page-generation"
logger = logging.getLogger("zimao.pagecache")


def _cache() -> BaseCache:
    return caches[settings.PAGE_CACHE_ALIAS]


def generation() -> str:
    """The current data generation (made on first use)."""
    try:
        value = _cache().get(GENERATION_KEY)
        if value is None:
            _cache().add(GENERATION_KEY, uuid4().hex, timeout=None)
            value = _cache().get(GENERATION_KEY)
    except OSError as exc:  # a full or unwritable disk: pages are served, never cached
        logger.warning("page cache unavailable: %s", exc)
        value = None
    return str(value) if value is not None else uuid4().hex


def bump() -> None:
    """Make every cached page stale: called after a commit that changed data."""
    try:
        _cache().set(GENERATION_KEY, uuid4().hex, timeout=None)
    except OSError as exc:  # a full disk: drop the generation so no old page is served
        logger.warning("page cache generation not renewed: %s", exc)
        try:
            _cache().delete(GENERATION_KEY)
        except OSError:
            logger.error("page cache generation could not be dropped: %s", exc)


def bump_after_commit() -> None:
    """Once per transaction, however many rows it saves."""
    connection = transaction.get_connection()
    if any(func is bump for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(bump)
