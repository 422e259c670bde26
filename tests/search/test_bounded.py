"""A common word ranks a bounded set: past settings.SEARCH_CANDIDATES matches, only the newest
that many are ranked and the count reads "N+", on SQLite and PostgreSQL alike."""

import pytest

from zimao.reforms.models import Innovation
from zimao.search.backends import Filters
from zimao.search.selectors import search
from zimao.search.services import index_record
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db

ORDER = ["一", "二", "三", "四", "五", "六"]


@pytest.fixture
def cold_chain():
    """Six published innovations naming 冷链, made in order (the last is the newest); the
    first two in Guangdong, the rest in Shanghai."""
    made = []
    for n, word in enumerate(ORDER):
        zone = Zone.objects.get(code="guangdong" if n < 2 else "shanghai")
        innovation = Innovation.objects.create(
            title=f"冷链查验第{word}号改革",
            zone=zone,
            mechanism="进口冷链食品查验前置，口岸与属地信息互通。",
            published=True,
        )
        index_record(innovation)
        made.append(innovation.title)
    return made


def titles(outcome) -> set[str]:
    return {r.entry.title for r in outcome.results}


def test_past_the_bound_only_the_newest_are_ranked_and_the_count_says_so(settings, cold_chain):
    settings.SEARCH_CANDIDATES = 4
    outcome = search("冷链", Filters(kind="innovation"), user=None)
    assert (outcome.total, outcome.exact) == (4, False)
    assert titles(outcome) == set(cold_chain[2:])


def test_within_the_bound_the_count_is_exact(settings, cold_chain):
    settings.SEARCH_CANDIDATES = 6
    outcome = search("冷链", Filters(kind="innovation"), user=None)
    assert (outcome.total, outcome.exact) == (6, True)
    assert titles(outcome) == set(cold_chain)


def test_the_bound_counts_what_passes_the_filters(settings, cold_chain):
    settings.SEARCH_CANDIDATES = 3
    older = search("冷链", Filters(kind="innovation", zone="guangdong"), user=None)
    assert (older.total, older.exact) == (2, True)
    assert titles(older) == set(cold_chain[:2])
    assert search("冷链", Filters(kind="task"), user=None).total == 0


def test_no_bound_ranks_every_match(settings, cold_chain):
    settings.SEARCH_CANDIDATES = 0
    outcome = search("冷链", Filters(kind="innovation"), user=None, limit=10)
    assert (outcome.total, outcome.exact) == (6, True)


def test_later_pages_stay_inside_the_ranked_set(settings, cold_chain):
    settings.SEARCH_CANDIDATES = 4
    first = search("冷链", Filters(kind="innovation"), user=None, limit=2)
    second = search("冷链", Filters(kind="innovation"), user=None, limit=2, offset=2)
    assert titles(first) | titles(second) == set(cold_chain[2:])
    assert not titles(first) & titles(second)


def test_the_page_and_the_api_say_more_match(settings, client, cold_chain):
    settings.SEARCH_CANDIDATES = 4
    html = client.get("/search/", {"q": "冷链", "kind": "innovation"}).content.decode()
    assert "共 4+ 条结果" in html and "只在最新的 4 条中按相关度排序" in html
    body = client.get("/api/search", {"q": "冷链", "kind": "innovation"}).json()
    assert (body["count"], body["count_exact"]) == (4, False)
    settings.SEARCH_CANDIDATES = 10
    html = client.get("/search/", {"q": "冷链", "kind": "innovation"}).content.decode()
    assert "共 6 条结果" in html
    assert client.get("/api/search", {"q": "冷链", "kind": "innovation"}).json()["count_exact"]
