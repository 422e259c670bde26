import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
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

# Fixtures through which a test reaches the run's database (in process, through a live server, or
# a scratch database on the run's PostgreSQL cluster).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
        "loaded_live_server",
        "scratch_database",
        "postgres_database",
    }
)


def uses_the_database(item: pytest.Item) -> bool:
    """Whether the test's outcome can depend on which database the run uses: it asks for the
    database (a `django_db` mark or a database fixture), or for a scratch database that is a
    PostgreSQL one in the PostgreSQL run. Without any of these pytest-django refuses every query,
    so the test proves the same on either database."""
    if item.get_closest_marker("django_db"):
        return True
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("scratch_database") == "sqlite":
        return False  # a SQLite file of its own, whichever database the run uses
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def commits(item: pytest.Item) -> bool:
    """Whether pytest-django runs the test outside a rolled-back transaction (and so empties
    the database when it ends)."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool({"transactional_db", "django_db_reset_sequences", "live_server"} & fixtures)


# Test files that use the database only through plain ORM reads and writes whose SQL the
# PostgreSQL run already runs elsewhere (every route in tests/test_query_budget.py, the API
# fuzzing and the access walk; every write path in tests/test_write_path*.py): what they check
# is computed in Python or is the page, file or message built from it. Marked `one_database`:
# they run on SQLite only. A file with locking, transactions that commit, raw SQL, search,
# bulk loads, dates in queries or query counts does not belong here.
ONE_DATABASE = {
    "tests/test_every_page_in_chinese.py": "the wording of the pages",
    "tests/test_sample_walk.py": "the sample marker beside each figure on the pages",
    "tests/reports/test_reports.py": "the report files (PDF, Word, HTML) drawn from figures "
    "that tests/reports/test_report_figures.py computes on both databases",
    "tests/alerts/test_delivery.py": "mail and group-robot delivery",
    "tests/hostile/test_files.py": "hostile uploads, refused before any row is written",
    "tests/reforms/test_permissions.py": "the role rules, decided in Python",
    "tests/opening/test_admission_questions.py": "verdicts computed in Python from measures "
    "read by their codes",
    "tests/opening/test_pages.py": "page rendering",
    "tests/test_views.py": "page rendering",
    "tests/web/test_small_things.py": "page rendering",
    "tests/web/test_labels.py": "page labels",
    "tests/demands/test_views.py": "page rendering (the demand services run on both)",
}


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark `db_agnostic` every test that cannot tell the databases apart, so the PostgreSQL run
    (`make pytest-postgres`: `-m "not db_agnostic"`) repeats only what may differ. A new test is
    marked by what it asks for, not by where it lives: one that uses the database runs on both,
    unless its file is listed in ONE_DATABASE (with the reason) or it is marked `one_database`."""
    if not uses_the_database(item):
        item.add_marker(pytest.mark.db_agnostic)
    elif item.nodeid.split("::")[0] in ONE_DATABASE:
        item.add_marker(pytest.mark.one_database)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests outside pytest-django's transactions start first (pytest-django puts them last):
    they hold the long ones (a server or `zimao` process of their own, Chromium), which then
    overlap with the many short database tests instead of finishing the run on one worker. The
    order is stable otherwise, and every order gives the same results (see `_loaded_again`)."""
    items.sort(key=lambda item: 0 if _outside_transactions(item) else 1)


def _outside_transactions(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return not item.get_closest_marker("django_db") and not {"db", "transactional_db"} & fixtures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a test that committed (pytest-django empties the database when it ends), put the
    loaded database back, so the next test finds the reference dataset whatever ran before it."""
    result = yield
    if _snapshot and nextitem is not None and commits(item):
        _loaded_again(item.config)
    return result


def _loaded_again(config: pytest.Config) -> None:
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        _snapshot[0].restore()
        forget_zones()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """Create the test database (always: pytest-django would skip it when only live-server tests
    are selected, and they would then use the real database), load the national reference
    dataset once, and keep the loaded database aside (a snapshot) before any test can change it.
    Tests that commit (against a live server, `loaded_live_server`, or `transaction=True`) find
    the loaded database and leave it loaded: the snapshot is put back after them, in place of a
    reload. Other tests run in a rolled-back transaction."""
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
        _snapshot.clear()
        teardown_databases(databases, verbosity=verbosity)


class _AnswerWithoutDelay(ThreadedWSGIServer):
    """Django's threaded test server with Nagle's algorithm off on each connection, as waitress
    and gunicorn (`zimao serve`) have it. Its handler sends the headers and the body in two
    writes; on a kept-alive connection (Chromium, schemathesis) the body then waited for the
    client's delayed acknowledgement, 40 ms on every request."""

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


@pytest.fixture(scope="session")
def _live_server_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """One live server (a thread of this process, its own port) for the whole run."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost", start=False)
        server.thread.server_class = _AnswerWithoutDelay
        server.start()
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
