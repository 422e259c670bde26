import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from tests.snapshot import Snapshot
from zimao.reference.loader import DATA_DIR, load_reference
from zimao.web.templatetags.zimao import forget_zones

if os.environ.get("CI"):
    # Hypothesis: the same examples on every run, and no per-example time limit that a busy
    # machine would trip (the properties are about results, not speed).
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
    hypothesis_settings.load_profile("ci")

_snapshot: list[Snapshot] = []


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """Create the test database (always: pytest-django would skip it when only live-server tests
    are selected, and they would then use the real database), load the national reference
    dataset once, and keep the loaded database aside (a snapshot) before any test can change it,
    for the tests against a live server (`loaded_live_server`), which commit. Other tests run in
    a rolled-back transaction."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
        load_reference(force=True)
        _snapshot.append(Snapshot.take())
    yield
    with django_db_blocker.unblock():
        for snapshot in _snapshot:
            snapshot.drop()
        teardown_databases(databases, verbosity=verbosity)


@pytest.fixture(scope="session")
def _live_server_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """One live server (a thread of this process, its own port) for the whole run."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def loaded_live_server(
    request: pytest.FixtureRequest, _live_server_once: Any, django_db_blocker: Any
) -> Iterator[Any]:
    """A live server over the database as the reference load left it, and back to that state
    after the test: what the test and the server commit is undone by restoring the snapshot
    (a page copy on SQLite), not by reloading the dataset. Fixtures of the test write with
    ordinary commits, which the server sees."""
    if {"db", "transactional_db"} & set(request.fixturenames):
        pytest.fail("loaded_live_server manages the database itself; do not ask for db too")
    with django_db_blocker.unblock():
        _snapshot[0].restore()
        forget_zones()
        try:
            yield _live_server_once
        finally:
            _snapshot[0].restore()
            forget_zones()


@pytest.fixture(scope="session", autouse=True)
def _page_cache_of_this_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Page-cache files of this test process (each xdist worker has its own), not var/cache."""
    from django.test import override_settings

    pages = {**settings.CACHES["pages"], "LOCATION": str(tmp_path_factory.mktemp("pages"))}
    with override_settings(CACHES={**settings.CACHES, "pages": pages}):
        yield


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test has its own var/ (originals, job files, the open-data zip): nothing a test
    writes there is seen by the next test or by a test running beside it in another worker."""
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)  # as in a deployment, where settings make it
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    settings.JOBS_DIR = var / "jobs"
    return var


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the reference CSVs that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_csv(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path.name}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def media(settings, tmp_path):
    """Stored originals go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Password hashing is slow by design; tests need it correct, not slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests write through factories inside a transaction that never commits, so a cached
    anonymous page could outlive them; tests/test_page_cache.py turns the cache on itself."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def zones_read_afresh():
    """Zone names are kept for a minute by the pages (zimao.web.templatetags.zimao); a test
    starts without them, so neither the clock nor the previous test decides what it reads."""
    forget_zones()


@pytest.fixture(autouse=True)
def chinese_after_each_test():
    """A test that switches the language (a request with an English cookie) must not leave the
    next test speaking English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def cast(db):
    """The shared cast: one person per role (see tests/factories.py)."""
    from tests.factories import make_cast

    return make_cast()
