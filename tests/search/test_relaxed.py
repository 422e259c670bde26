"""Synonyms and relaxed matching: other forms of a word match, and when few entries have every
word, entries with some of them follow, flagged. Runs on SQLite and on PostgreSQL."""

import pytest

from zimao.reforms.models import Innovation
from zimao.search.backends import Filters, Match
from zimao.search.backends.postgres import tsquery
from zimao.search.backends.sqlite import expression
from zimao.search.query import parse_query
from zimao.search.selectors import RELAX_BELOW, search
from zimao.search.services import index_record
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db

ITEMS = Filters(kind="item")


def codes(outcome) -> list[str]:
    return [r.entry.object_id for r in outcome.results]


def test_a_synonym_finds_the_item_that_uses_the_other_form():
    short = search("跨境电商", ITEMS, user=None)
    full = search("跨境电子商务", ITEMS, user=None)
    # 2019-finance-05 says 跨境电子商务, 2019-supervision-15 says 跨境电商
    for outcome in (short, full):
        strict = [r.entry.object_id for r in outcome.strict_results]
        assert set(strict) == {"2019-finance-05", "2019-supervision-15"}
    assert short.query.synonyms == {"跨境电商": ["跨境电子商务"]}


def test_an_abbreviation_finds_the_full_name_and_phrases_are_looked_up_whole():
    mixed = search("国企 混合所有制改革", ITEMS, user=None)
    assert codes(mixed)[0] == "2019-investment-13" and not mixed.results[0].relaxed
    land = search("房产登记", ITEMS, user=None)
    assert {"2019-investment-09", "2019-investment-17"} <= {
        r.entry.object_id for r in land.strict_results
    }


def test_a_synonym_inside_a_longer_word_is_replaced_there():
    zone = Zone.objects.get(code="hainan")
    index_record(
        Innovation.objects.create(title="外商投资企业登记全程电子化", zone=zone, published=True)
    )
    outcome = search("外资企业", Filters(kind="innovation"), user=None)
    assert [r.entry.title for r in outcome.strict_results] == ["外商投资企业登记全程电子化"]


def test_a_word_missing_from_the_title_gives_relaxed_results_after_the_strict_ones():
    # Only 2019-investment-01 and -02 mention 公证; 最多跑一次 narrows it to one of them.
    outcome = search("公证 最多跑一次 收费", ITEMS, user=None)
    assert outcome.strict_total == 0 and outcome.relaxed
    assert codes(outcome)[0] == "2019-investment-01"
    assert all(r.relaxed for r in outcome.results)

    outcome = search("公证 机构", ITEMS, user=None)
    assert outcome.strict_total == 1 and codes(outcome)[0] == "2019-investment-02"
    assert not outcome.results[0].relaxed
    assert all(r.relaxed for r in outcome.results[1:]) and len(outcome.results) > 1
    assert "2019-investment-01" in codes(outcome)  # has 公证 but not 机构
    assert outcome.total == outcome.strict_total + len(outcome.relaxed_results)


def test_relaxed_matching_uses_the_parts_of_a_word():
    outcome = search("公证费", ITEMS, user=None)  # one word, in no item; 公证 is part of it
    assert outcome.strict_total == 0
    assert set(codes(outcome)) == {"2019-investment-01", "2019-investment-02"}
    assert all(r.relaxed for r in outcome.results)


def test_pages_run_on_from_strict_into_relaxed_results():
    everything = codes(search("公证 机构", ITEMS, limit=20, user=None))
    pages = [
        codes(search("公证 机构", ITEMS, limit=2, offset=n, user=None)) for n in range(0, 6, 2)
    ]
    assert [c for page in pages for c in page] == everything[:6]


def test_no_relaxation_when_strict_hits_are_plentiful():
    zone = Zone.objects.get(code="fujian")
    for n in range(RELAX_BELOW):
        index_record(
            Innovation.objects.create(title=f"数据跨境流动试点{n}", zone=zone, published=True)
        )
    index_record(Innovation.objects.create(title="数据安全评估", zone=zone, published=True))
    outcome = search("数据 流动", Filters(kind="innovation"), limit=20, user=None)
    assert outcome.strict_total == outcome.total == RELAX_BELOW
    assert not outcome.relaxed and not any(r.relaxed for r in outcome.results)
    assert "数据安全评估" not in [r.entry.title for r in outcome.results]

    Innovation.objects.filter(title="数据跨境流动试点0").delete()
    fewer = search("数据 流动", Filters(kind="innovation"), limit=20, user=None)
    assert fewer.strict_total == RELAX_BELOW - 1
    assert [r.entry.title for r in fewer.relaxed_results] == ["数据安全评估"]


def test_the_api_and_the_page_flag_relaxed_results(client):
    body = client.get("/api/search", {"q": "公证 机构", "kind": "item"}).json()
    assert body["strict_count"] == 1 and body["count"] > 1 and body["relaxed"]
    assert [i["relaxed"] for i in body["items"][:2]] == [False, True]
    html = client.get("/search/", {"q": "公证 机构", "kind": "item"}).content.decode()
    assert html.index("推进合作制公证机构试点") < html.index("以下结果为放宽匹配")
    assert html.index("以下结果为放宽匹配") < html.index("公证“最多跑一次”")
    plain = client.get("/search/", {"q": "公证", "kind": "item"}).content.decode()
    assert "以下结果为放宽匹配" not in plain


def test_the_english_page_names_relaxed_results(client):
    client.cookies["django_language"] = "en"
    html = client.get("/search/", {"q": "公证 机构", "kind": "item"}).content.decode()
    assert "The results below are relaxed matches" in html


def test_each_backend_writes_the_same_match():
    match = Match(
        ((("外资",), ("外商", "投资")), (("准入",),)),
        exclude=Match(((("负面清单",),),)),
    )
    assert expression(match) == ('(("外资" OR ("外商" AND "投资")) AND "准入") NOT ("负面清单")')
    assert tsquery(match) == "(('外资' | ('外商' & '投资')) & '准入') & ! ('负面清单')"
    assert expression(Match.of(["a", "b"], any_token=True)) == '("a" OR "b")'


def test_question_words_and_fillers_are_not_search_words():
    parsed = parse_query("请问企业名称怎么自主申报呢")
    assert not {"请问", "怎么", "呢"} & set(parsed.tokens)
    assert {"企业", "名称"} <= set(parsed.tokens)


def test_an_unknown_word_beside_known_ones_is_tried_by_its_characters():
    outcome = search("洋车 进口", ITEMS, user=None)  # 洋车 is in no entry; 车 is
    assert outcome.strict_total == 0
    assert "车" in outcome.query.relaxed(("洋车",)).words()
    assert {"2019-trade-07", "2019-supervision-14"} & set(codes(outcome)[:3])


def test_unknown_words_alone_still_find_nothing():
    outcome = search("量子隧穿", ITEMS, user=None)
    assert outcome.total == 0 and outcome.results == []
