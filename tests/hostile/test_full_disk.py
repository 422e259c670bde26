"""A var folder that takes no write (full or read-only) is a normal condition: anonymous
pages still answer 200 without being cached, a write still commits, /healthz says why."""

import pytest

from zimao.lib import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def unwritable(settings, tmp_path):
    """A var folder and page cache below a plain file: every write there fails (OSError)."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    settings.PAGE_CACHE = True
    settings.VAR_DIR = blocker / "sub"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "cache" / "pages"),
        },
    }
    return blocker


def test_anonymous_pages_answer_200_when_the_cache_cannot_be_written(client, unwritable):
    for path in ("/", "/zones/", "/reforms/innovations/"):
        first = client.get(path)
        assert first.status_code == 200, path
        assert client.get(path).status_code == 200, path


def test_renewing_the_cache_generation_on_a_full_disk_does_not_fail_the_write(unwritable):
    """bump() runs after every commit that changes shown data: it must not raise there."""
    pagecache.bump()
    assert pagecache.generation() != pagecache.generation()  # no cache: never a stale page


def test_healthz_names_the_disk_when_the_var_folder_takes_no_write(client, unwritable):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "disk": "unwritable"}


def test_healthz_is_ok_on_a_writable_var_folder(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
