"""Similar records are stored and follow every write, without a full reindex; pages only read
them, through the access filter, at a constant number of queries."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_innovation
from zimao.accounts.access import SystemActor, scope_q
from zimao.audit import writes
from zimao.reforms.models import Innovation
from zimao.reforms.services import INNOVATION_FIELDS, innovation_create, innovation_update
from zimao.search.differentiation import zone_differentiation
from zimao.search.models import SearchEntry, SimilarEntry, SimilarityWeights
from zimao.search.neighbours import TOP, rebuild, refresh_pending
from zimao.search.selectors import similar_to
from zimao.search.services import reindex
from zimao.search.similarity import relocated
from zimao.web.templatetags.zimao import forget_zones
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db

BONDED = ("保税维修业务“一站式”监管", "海关对区内企业保税维修实行一站式监管，维修料件保税进出。")
BONDED_AGAIN = (
    "区内保税维修一站式监管改革",
    "对区内企业的保税维修业务实施一站式监管，料件保税进出。",
)
ELSEWHERE = ("跨境人才居留证件网上续签", "外籍人才居留证件续签全程网上办理，无需到窗口。")


def entry_of(innovation: Innovation) -> SearchEntry:
    return SearchEntry.objects.get(kind="innovation", object_id=str(innovation.pk))


def titles(innovation: Innovation, user=None) -> list[str]:
    return [s.entry.title for s in similar_to("innovation", str(innovation.pk), user=user)]


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Runs what a real commit would run (tests roll their transaction back), then what the
    job worker runs once asked: the refresh of the entries the writes left pending."""

    @contextmanager
    def committed() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield
        refresh_pending()

    return committed


@pytest.fixture
def first(after_commit):
    with after_commit():
        return make_innovation(*BONDED[:1], "shanghai", published=True, mechanism=BONDED[1])


def test_a_new_innovation_appears_in_its_near_duplicates_list(first, after_commit, cast):
    assert BONDED_AGAIN[0] not in titles(first)
    weights = SimilarityWeights.objects.get()
    with after_commit():
        second = innovation_create(
            user=cast.zoe,
            title=BONDED_AGAIN[0],
            zone=Zone.objects.get(code="guangdong"),
            mechanism=BONDED_AGAIN[1],
        )
        writes.update(
            user=SystemActor("test"),
            record=second,
            changes={"published": True},
            fields=INNOVATION_FIELDS,
            version=second.version,
        )
    assert titles(first)[0] == BONDED_AGAIN[0]
    assert titles(second)[0] == BONDED[0]
    assert SimilarityWeights.objects.get() == weights  # scored with the stored weights
    assert SimilarityWeights.objects.get().fitted_at == weights.fitted_at


def test_an_edit_that_no_longer_matches_leaves_the_list(first, after_commit, cast):
    with after_commit():
        second = make_innovation(
            BONDED_AGAIN[0], "guangdong", published=True, mechanism=BONDED_AGAIN[1]
        )
    assert BONDED_AGAIN[0] in titles(first)
    with after_commit():
        innovation_update(
            user=cast.zoe,
            innovation=second,
            version=second.version,
            title=ELSEWHERE[0],
            mechanism=ELSEWHERE[1],
        )
    assert ELSEWHERE[0] not in titles(first) and BONDED_AGAIN[0] not in titles(first)
    assert not SimilarEntry.objects.filter(entry=entry_of(first), other=entry_of(second)).exists()


def test_deleting_removes_its_rows_both_ways(first, after_commit):
    with after_commit():
        second = make_innovation(
            BONDED_AGAIN[0], "guangdong", published=True, mechanism=BONDED_AGAIN[1]
        )
    entry = entry_of(second)
    assert SimilarEntry.objects.filter(entry=entry).exists()
    assert SimilarEntry.objects.filter(other=entry).exists()
    with after_commit():
        writes.delete(user=SystemActor("test"), record=second, fields=INNOVATION_FIELDS)
    assert not SimilarEntry.objects.filter(entry_id=entry.pk).exists()
    assert not SimilarEntry.objects.filter(other_id=entry.pk).exists()
    assert BONDED_AGAIN[0] not in titles(first)


def test_another_zones_unpublished_record_never_appears(first, after_commit, cast, client):
    with after_commit():
        draft = make_innovation(
            BONDED_AGAIN[0], "sichuan", published=False, mechanism=BONDED_AGAIN[1]
        )
    assert SimilarEntry.objects.filter(entry=entry_of(first), other=entry_of(draft)).exists()
    for outsider in (None, cast.zoe):
        assert BONDED_AGAIN[0] not in titles(first, outsider)
    assert BONDED_AGAIN[0] in titles(first, cast.otto)
    assert BONDED_AGAIN[0] in titles(first, cast.nina)
    client.force_login(cast.zoe)
    page = client.get(f"/reforms/innovations/{first.pk}/").content.decode()
    api = client.get("/api/similar", {"kind": "innovation", "id": str(first.pk)}).content
    diff = client.get("/search/zones/shanghai/").content.decode()
    for body in (page, api.decode(), diff):
        assert BONDED_AGAIN[0] not in body
    client.force_login(cast.otto)
    assert BONDED_AGAIN[0] in client.get("/search/zones/shanghai/").content.decode()


def test_the_access_rule_reaches_the_neighbour_by_join_as_by_subquery(first, after_commit, cast):
    with after_commit():
        for zone, published in (("sichuan", False), ("guangdong", False), ("hainan", True)):
            make_innovation(BONDED_AGAIN[0], zone, published=published, mechanism=BONDED_AGAIN[1])
    rows = SimilarEntry.objects.filter(entry=entry_of(first))
    for user in (None, cast.public, cast.zoe, cast.otto, cast.paul, cast.nina):
        access = scope_q(user, SearchEntry)
        joined = set(rows.filter(relocated(access, "other__")).values_list("other", flat=True))
        subquery = set(
            rows.filter(other__in=SearchEntry.objects.filter(access)).values_list(
                "other", flat=True
            )
        )
        assert joined == subquery
    assert len(subquery) == rows.count() >= 4  # nina sees every row


def test_reindex_rebuilds_the_table_with_fresh_weights(first, after_commit):
    with after_commit():
        make_innovation(BONDED_AGAIN[0], "guangdong", published=True, mechanism=BONDED_AGAIN[1])
    SimilarEntry.objects.all().delete()
    reindex()
    assert titles(first)[0] == BONDED_AGAIN[0]
    assert (
        SimilarityWeights.objects.get().documents
        == SearchEntry.objects.filter(kind__in=["innovation", "item", "passage"]).count()
    )
    most = max(
        SimilarEntry.objects.values_list("entry", flat=True).distinct(),
        key=lambda pk: SimilarEntry.objects.filter(entry=pk).count(),
    )
    assert SimilarEntry.objects.filter(entry=most).count() <= TOP


def test_differentiation_pages_through_the_zone(after_commit):
    with after_commit():
        for n in range(3):
            make_innovation(f"第{n}号保税维修一站式监管", "shanghai", published=True)
    whole = zone_differentiation("shanghai")
    page = zone_differentiation("shanghai", limit=2, offset=2)
    assert whole.total == page.total == 3 and len(page.positions) == 1
    assert page.positions[0].innovation == whole.positions[2].innovation


def grow(times: int, start: int) -> None:
    for n in range(start, start + times):
        zone = ["shanghai", "guangdong", "sichuan", "hainan"][n % 4]
        title = f"{BONDED_AGAIN[0]}第{n}批"
        make_innovation(title, zone, published=n % 2 == 0, mechanism=BONDED_AGAIN[1])


def queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    forget_zones()  # each count starts without the zone names an earlier request kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_panel_and_api_queries_do_not_grow_with_the_data(first, after_commit, cast):
    client = Client()
    client.force_login(cast.zoe)
    urls = [
        (f"/reforms/innovations/{first.pk}/", None),
        ("/api/similar", {"kind": "innovation", "id": str(first.pk), "limit": "50"}),
        ("/search/zones/shanghai/", None),
        ("/api/zones/shanghai/differentiation", None),
    ]
    with after_commit():
        grow(3, 0)
    small = [queries(client, url, params) for url, params in urls]
    rows = SimilarEntry.objects.count()
    with after_commit():
        grow(30, 3)
    large = [queries(client, url, params) for url, params in urls]
    assert SimilarEntry.objects.count() > rows  # the table did grow
    longest = SimilarEntry.objects.values("entry").annotate(n=Count("id")).order_by("-n")[0]
    assert longest["n"] == TOP  # lists fill up to TOP and no further
    assert client.get(*urls[1]).json()  # and the list is read from it
    assert large == small


def test_reindex_of_an_empty_instance_stores_empty_weights():
    """A fresh instance (migrated, nothing loaded) reindexes without error."""
    from zimao.text.similarity import Weights

    weights = Weights.fit([])
    assert weights.documents == 0
    assert weights.transform(["企业开办一窗通办"]).shape[0] == 1


def similar_rows() -> set[tuple[int, int, float]]:
    return set(SimilarEntry.objects.values_list("entry_id", "other_id", "score"))


def test_a_rebuild_over_unchanged_texts_writes_nothing(first, after_commit):
    """A second rebuild finds every list as stored: no similar row rewritten, no weights saved,
    no transaction opened (so writers never wait for it)."""
    with after_commit():
        make_innovation(BONDED_AGAIN[0], "guangdong", published=True, mechanism=BONDED_AGAIN[1])
    rebuild()
    before, weights = similar_rows(), SimilarityWeights.objects.get()
    with CaptureQueriesContext(connection) as queries:
        rebuild()
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "SAVEPOINT"))
    ]
    assert written == []
    assert similar_rows() == before and len(before) >= 2
    assert SimilarityWeights.objects.get().fitted_at == weights.fitted_at


def test_a_rebuild_rewrites_only_the_lists_that_changed(first, after_commit):
    """After a change the incremental path missed (rows deleted behind its back), the rebuild
    puts back exactly what a rebuild from nothing writes, touching only the lists that differ."""
    with after_commit():
        second = make_innovation(
            BONDED_AGAIN[0], "guangdong", published=True, mechanism=BONDED_AGAIN[1]
        )
    rebuild()
    complete = similar_rows()
    SimilarEntry.objects.filter(entry=entry_of(second)).delete()
    with CaptureQueriesContext(connection) as queries:
        written = rebuild()
    assert similar_rows() == complete
    assert written == sum(1 for row in complete if row[0] == entry_of(second).pk) >= 1
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 1 and f"({entry_of(second).pk})" in deletes[0]
