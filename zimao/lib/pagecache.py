"""Whole-page cache for anonymous visitors.

Every visitor who is not signed in sees the same page for the same path and language, so the
rendered page is kept in a cache shared by all server processes (files under var/cache by
default) and served without touching the database.

A page is stale as soon as data it shows changes, and only then: each app has a *generation*
that a committed change to one of its records replaces. While a page renders, the tables its
queries read are noted; the page is stored with the generations of their apps as they were
before it rendered, and served only while all of them are unchanged. A change to indicators
therefore leaves the zone pages cached, and a change to innovations does not. Tables no app
owns make the page depend on every change (`ANY`), and `bump()` (reindex, restore, the
reference load) makes every page stale. The timeout only bounds changes made behind the write
path (a raw SQL edit).
"""

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar
from uuid import uuid4

from django.apps import apps
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection, models, transaction
from django.utils.translation import get_language

PREFIX = "zimao:page-generation:"
FRAGMENT = "zimao:fragment:"
ALL = "@all"  # every page depends on it: bump() replaces it
ANY = "@any"  # pages that read a table no app owns depend on it: every change replaces it
TABLE = re.compile(r"""\b(?:FROM|JOIN)\s+["`]?([A-Za-z_][A-Za-z0-9_]*)""", re.IGNORECASE)
logger = logging.getLogger("zimao.pagecache")


def _cache() -> BaseCache:
    return caches[settings.PAGE_CACHE_ALIAS]


def _labels() -> list[str]:
    return [ALL, ANY, *(config.label for config in apps.get_app_configs())]


def generations(labels: Iterable[str]) -> dict[str, str]:
    """The current generation of each label (made on first use)."""
    keys = {PREFIX + label: label for label in labels}
    try:
        found = _cache().get_many(list(keys))
        missing = [key for key in keys if key not in found]
        for key in missing:
            _cache().add(key, uuid4().hex, timeout=None)
        if missing:
            found.update(_cache().get_many(missing))
    except OSError as exc:  # a full or unwritable disk: fresh values match no stored page
        logger.warning("page cache unavailable: %s", exc)
        return {label: uuid4().hex for label in keys.values()}
    return {keys[key]: str(value) for key, value in found.items()}


def generation() -> str:
    """The generation every page depends on."""
    return generations([ALL])[ALL]


def bump(labels: Iterable[str] = (ALL,)) -> None:
    """Make the pages depending on these labels stale (by default: every page)."""
    keys = [PREFIX + label for label in labels]
    try:
        _cache().set_many({key: uuid4().hex for key in keys}, timeout=None)
    except OSError as exc:  # a full disk: drop the generations so no old page is served
        logger.warning("page cache generation not renewed: %s", exc)
        try:
            _cache().delete_many(keys)
        except OSError:
            logger.error("page cache generation could not be dropped: %s", exc)


class _Bump:
    """The one bump a transaction makes when it commits, with every label it touched."""

    def __init__(self) -> None:
        self.labels: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        if self.labels:
            bump(self.labels)


def bump_after_commit(labels: Iterable[str] = (ALL,)) -> None:
    """Once the current transaction commits, bump these labels (one bump per transaction,
    however many rows it saves; nothing if it rolls back)."""
    for _, func, _ in transaction.get_connection().run_on_commit:
        if isinstance(func, _Bump) and not func.done:
            func.labels.update(labels)
            return
    pending = _Bump()
    pending.labels.update(labels)
    transaction.on_commit(pending)


def changed(sender: type[models.Model], **kwargs: Any) -> None:
    """A committed change to a record (the `record_changed` receiver): pages that read its app's
    tables go stale once the current transaction commits. Records no anonymous page shows are
    skipped."""
    meta = sender._meta
    if {meta.app_label, meta.label_lower} & settings.PAGE_CACHE_IGNORE:
        return
    bump_after_commit({meta.app_label, ANY})


@lru_cache(maxsize=1)
def _owners() -> dict[str, str]:
    """Table name → app label, for every model's table (many-to-many tables too)."""
    return {
        model._meta.db_table: model._meta.app_label
        for model in apps.get_models(include_auto_created=True)
    }


@lru_cache(maxsize=1)
def _tables() -> frozenset[str]:
    return frozenset(connection.introspection.table_names())


def owner_of(table: str) -> str | None:
    """The app whose data a table holds: its model's app, or the app it is named after (the
    full-text tables of search); None for a name that is no table (a query's own alias)."""
    owners = _owners()
    if table in owners:
        return owners[table]
    if table not in _tables():
        return None
    for label in sorted({*owners.values()}, key=len, reverse=True):
        if table.startswith(f"{label}_"):
            return label
    return ANY


@dataclass
class Reads:
    """What one page rendering read: the generations before it, and the tables it queried."""

    before: dict[str, str]
    tables: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)

    def depends_on(self) -> dict[str, str]:
        labels = {ALL} | self.labels
        labels |= {label for t in self.tables if (label := owner_of(t)) is not None}
        return {label: self.before[label] for label in labels if label in self.before}


_recording = threading.local()


def shows(*labels: str) -> None:
    """The page being rendered shows data of these apps read from a process cache, not by a
    query (zone names remembered for a minute): it depends on them all the same."""
    reads: Reads | None = getattr(_recording, "reads", None)
    if reads is not None:
        reads.labels.update(labels)


@contextmanager
def recording() -> Iterator[Reads]:
    """Note the tables the queries inside read, and the generations before any of them ran."""
    reads = Reads(before=generations(_labels()))

    def note(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        reads.tables.update(TABLE.findall(sql))
        return execute(sql, params, many, ctx)

    _recording.reads = reads
    try:
        with connection.execute_wrapper(note):
            yield reads
    finally:
        _recording.reads = None


def fetch(key: str, path: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The stored page, if it is there and nothing it read has changed since."""
    try:
        stored = _cache().get(key)
    except OSError as exc:  # a full or unwritable disk costs the cache, never the page
        logger.warning("page cache unreadable: %s", exc)
        return None
    if stored is None or stored[0] != path:
        return None
    _, depends, status, headers, content = stored
    if generations(depends) != depends:
        return None
    return status, headers, content


def keep(
    key: str, path: str, reads: Reads, status: int, headers: list[tuple[str, str]], body: bytes
) -> None:
    stored = (path, reads.depends_on(), status, headers, body)
    try:
        _cache().set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
    except OSError as exc:  # a full disk costs the cache, never the page
        logger.warning("page not cached: %s", exc)


T = TypeVar("T")


@lru_cache(maxsize=1)
def _unfollowed() -> frozenset[str]:
    """Tables of the records whose changes bump no generation (settings.PAGE_CACHE_IGNORE:
    audit events, sessions, users): what reads them depends on every change instead."""
    ignored = settings.PAGE_CACHE_IGNORE
    return frozenset(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if {model._meta.app_label, model._meta.label_lower} & ignored
    )


def remembered(name: str, key: str, build: Callable[[], T]) -> T:
    """The value `build` returns (a signed-in panel's rows and counts), kept in the page cache
    under `name` and `key` (who it is for: a user and their scope) and the language, until a
    committed change to an app whose tables building it read. Reading audit events or other
    records whose changes bump nothing makes it depend on every change; the page cache's
    timeout bounds the rest. Without the page cache, or when it fails, `build` runs."""
    if not settings.PAGE_CACHE:
        return build()
    digest = hashlib.sha256(f"{name}\0{key}\0{get_language()}".encode()).hexdigest()
    outer: Reads | None = getattr(_recording, "reads", None)
    try:
        stored = _cache().get(FRAGMENT + digest)
    except Exception as exc:  # a full disk or an unreadable entry costs the cache only
        logger.warning("fragment cache unreadable: %s", exc)
        stored = None
    if stored is not None:
        depends, value = stored
        if generations(depends) == depends:
            if outer is not None:
                outer.labels.update(depends)
            return value  # type: ignore[no-any-return]
    try:
        with recording() as reads:
            value = build()
    finally:
        _recording.reads = outer
    if outer is not None:
        outer.tables |= reads.tables
        outer.labels |= reads.labels
    depends = reads.depends_on()
    if reads.tables & _unfollowed():
        depends[ANY] = reads.before[ANY]
    try:
        _cache().set(FRAGMENT + digest, (depends, value), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception as exc:  # a full disk or an unpicklable value: served, not kept
        logger.warning("fragment not cached: %s", exc)
    return value
