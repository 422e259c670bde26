"""The anonymous page cache: served without the database, never stale after a write, never
shared with a signed-in person, never holding a page with a form token."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_innovation
from zimao.reforms.services import innovation_update


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }


def anonymous_get(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def test_second_anonymous_visit_is_served_from_cache_without_queries(db, client, page_cache):
    first, first_queries = anonymous_get(client, "/zones/")
    second, second_queries = anonymous_get(client, "/zones/")
    assert first["X-Page-Cache"] == "miss" and first_queries > 0
    assert second["X-Page-Cache"] == "hit" and second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # the way out still adds the policy


def test_a_committed_write_makes_the_page_fresh(
    cast, client, page_cache, django_capture_on_commit_callbacks
):
    innovation = make_innovation("港口危险货物集中查验", published=True)
    path = f"/reforms/innovations/{innovation.pk}/"
    anonymous_get(client, path)
    assert anonymous_get(client, path)[0]["X-Page-Cache"] == "hit"
    connection.run_on_commit.clear()  # the set-up's transaction never commits; a real one would
    with django_capture_on_commit_callbacks(execute=True):
        innovation_update(
            user=cast.zoe, innovation=innovation, version=innovation.version, title="港口联合查验"
        )
    fresh, queries = anonymous_get(client, path)
    assert fresh["X-Page-Cache"] == "miss" and queries > 0
    assert "港口联合查验" in fresh.content.decode()


def test_signed_in_pages_are_neither_served_nor_stored(cast, client, page_cache):
    hidden = make_innovation("未公开的保税研发试点", published=False)
    client.force_login(cast.zoe)
    own = client.get("/reforms/innovations/")
    assert "X-Page-Cache" not in own
    assert "未公开的保税研发试点" in own.content.decode()
    client.logout()
    client.cookies.clear()
    anonymous_get(client, "/reforms/innovations/")
    public, _ = anonymous_get(client, "/reforms/innovations/")
    assert public["X-Page-Cache"] == "hit"
    assert hidden.title not in public.content.decode()


def test_each_language_has_its_own_page(db, client, page_cache):
    chinese, _ = anonymous_get(client, "/zones/")
    english, _ = anonymous_get(client, "/zones/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"
    assert english["Content-Language"] == "en" and chinese["Content-Language"] == "zh-hans"
    assert anonymous_get(client, "/zones/", HTTP_ACCEPT_LANGUAGE="en")[0]["X-Page-Cache"] == "hit"


def test_pages_with_a_form_token_are_never_stored(db, client, page_cache):
    for _ in range(2):
        login, _ = anonymous_get(client, "/accounts/login/")
        assert "X-Page-Cache" not in login
    client.cookies.clear()
    with CaptureQueriesContext(connection):
        response = client.get("/healthz")
    assert "X-Page-Cache" not in response


def test_switching_language_needs_no_form_token(db, client, page_cache):
    page, _ = anonymous_get(client, "/zones/")
    assert "csrfmiddlewaretoken" not in page.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zones/"})
    assert response.status_code == 302
    english, _ = anonymous_get(client, "/zones/")
    assert english["Content-Language"] == "en"


def test_a_change_elsewhere_keeps_the_page_and_a_change_it_shows_does_not(
    cast, client, page_cache, django_capture_on_commit_callbacks
):
    """Pages go stale by what they read: a report draft (which no innovation page reads)
    leaves the innovation's page cached; an edit of the innovation does not."""
    from zimao.reports.services import report_draft_save

    innovation = make_innovation("港口危险货物集中查验", published=True)
    path = f"/reforms/innovations/{innovation.pk}/"
    anonymous_get(client, path)
    connection.run_on_commit.clear()  # the set-up's transaction never commits; a real one would
    with django_capture_on_commit_callbacks(execute=True):
        report_draft_save(
            user=cast.zoe, kind="annual", title="广东年度报告", subject="zone:guangdong", year=2023
        )
    kept, queries = anonymous_get(client, path)
    assert kept["X-Page-Cache"] == "hit" and queries == 0
    with django_capture_on_commit_callbacks(execute=True):
        innovation_update(
            user=cast.zoe, innovation=innovation, version=innovation.version, mechanism="联合查验"
        )
    assert anonymous_get(client, path)[0]["X-Page-Cache"] == "miss"


def test_an_admin_delete_leaves_no_cached_page_behind(
    db, client, page_cache, django_capture_on_commit_callbacks
):
    from django.test import Client

    from zimao.accounts.models import User

    innovation = make_innovation("港口危险货物集中查验", published=True)
    anonymous_get(client, "/reforms/innovations/")
    listed, _ = anonymous_get(client, "/reforms/innovations/")
    assert listed["X-Page-Cache"] == "hit" and innovation.title in listed.content.decode()
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deleted = admin.post(f"/admin/reforms/innovation/{innovation.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    fresh, _ = anonymous_get(client, "/reforms/innovations/")
    assert fresh["X-Page-Cache"] == "miss"
    assert innovation.title not in fresh.content.decode()
    search, _ = anonymous_get(client, "/search/?q=危险货物")
    assert innovation.title not in search.content.decode()


def test_a_page_reading_a_table_no_app_owns_follows_every_change(db):
    from zimao.lib import pagecache

    assert pagecache.owner_of("reforms_innovation") == "reforms"
    assert pagecache.owner_of("reforms_innovation_documents") == "reforms"  # many-to-many
    if connection.vendor == "sqlite":
        assert pagecache.owner_of("search_fts") == "search"  # the full-text table
    assert pagecache.owner_of("django_migrations") == pagecache.ANY
    assert pagecache.owner_of("m") is None  # a query's own alias (WITH m AS …)


def test_a_zone_name_from_the_process_cache_still_ties_the_page_to_zones(db):
    """Zone names are remembered in the process for a minute, so a page may show one without
    a query: it depends on the zones all the same."""
    from zimao.lib import pagecache
    from zimao.web.templatetags.zimao import zone_name

    zone_name("guangdong")  # warm: the next call reads no table
    with pagecache.recording() as reads:
        assert zone_name("guangdong")
    assert not reads.tables
    assert "zones" in reads.depends_on()
