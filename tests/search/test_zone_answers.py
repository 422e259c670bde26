"""A query that only names a zone answers with the zone and its records."""

import pytest
from django.test import Client

from tests.factories import make_document, make_innovation
from zimao.search.backends import Filters
from zimao.search.differentiation import zone_differentiation
from zimao.search.neighbours import refresh_pending
from zimao.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    make_innovation("洋山港国际中转集拼", "shanghai", published=True)
    make_innovation("中欧班列运单物权化", "sichuan", published=True)


@pytest.mark.parametrize(
    ("query", "zone"),
    [("沪", "shanghai"), ("上海自贸区", "shanghai"), ("四川", "sichuan"), ("四川省", "sichuan")],
)
def test_a_zone_alone_lists_its_records(records, query, zone):
    outcome = search(query, user=None)
    assert outcome.zone_only and outcome.filters.zone == zone
    assert outcome.total >= 1 and {r.entry.zone for r in outcome.results} == {zone}
    assert outcome.results[0].entry.kind == "innovation"


def test_the_results_page_links_the_zone(records, client: Client):
    html = client.get("/search/", {"q": "四川"}).content.decode()
    assert 'id="zone-answer"' in html and 'href="/zones/sichuan/"' in html
    assert "中欧班列运单物权化" in html and "没有找到结果" not in html


def test_snippets_do_not_break_where_the_pdf_broke_lines(cast):
    make_document("前海片区推进跨境\n贸易便利化，\n通关时间压缩至\n37小时。", title="简报")
    result = search("通关", Filters(kind="document"), user=cast.nina).results[0]
    assert "\n" not in result.snippet_html and "推进跨境贸易便利化" in result.snippet_html


def test_differentiation_compares_with_replicated_items(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        innovation = make_innovation(
            "公证“最多跑一次”改革", "shanghai", published=True, mechanism="公证事项最多跑一次。"
        )
    refresh_pending()  # the job worker's refresh of what the write left pending
    [position] = zone_differentiation("shanghai").positions
    assert position.innovation == innovation
    assert "公证“最多跑一次”" in [item.title for item, _ in position.replicated]
    html = client.get("/search/zones/shanghai/").content.decode()
    assert "相似的复制推广事项" in html and "/replication/items/2019-investment-01/" in html
