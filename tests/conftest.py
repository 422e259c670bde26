import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from zimao.reference.loader import DATA_DIR, load_reference


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the national reference dataset once; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        load_reference(force=True)


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
