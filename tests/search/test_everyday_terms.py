"""Editorial everyday words for the replicated items: loaded from the reference data, searched,
shown marked as editorial, kept out of similarity scores. Runs on SQLite and on PostgreSQL."""

import csv
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import edit_csv
from zimao.reference.loader import DATA_DIR, ReferenceDataError, read_dataset
from zimao.reforms.models import Innovation
from zimao.replication.models import ReplicationItem
from zimao.search.backends import Filters
from zimao.search.models import EDITORIAL_MARK, SearchEntry
from zimao.search.neighbours import entry_text
from zimao.search.selectors import as_dict, search
from zimao.search.services import index_record
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db

ITEMS = Filters(kind="item")


def test_every_item_has_editorial_words_and_no_row_claims_to_be_official():
    with (DATA_DIR / "replication_item_terms.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["code"] for r in rows} == set(ReplicationItem.objects.values_list("code", flat=True))
    assert all("编辑整理" in r["source"] and r["terms"].strip() for r in rows)
    item = ReplicationItem.objects.get(code="2019-investment-09")
    assert "房产证" in item.everyday_terms.split("；") and item.description
    assert "编辑整理" in item.terms_source


def test_a_source_that_does_not_say_editorial_is_refused(data_copy: Path):
    edit_csv(data_copy / "replication_item_terms.csv", "编辑整理，非官方文本", "国务院文件")
    with pytest.raises(ReferenceDataError) as info:
        read_dataset(data_copy)
    assert any("replication_item_terms.csv:2" in str(p) for p in info.value.problems)


def test_an_everyday_word_finds_the_item_whose_official_text_lacks_it():
    official = ReplicationItem.objects.get(code="2019-supervision-15")
    assert "海淘" not in official.title
    outcome = search("海淘", ITEMS, user=None)
    assert outcome.results[0].entry.object_id == "2019-supervision-15"
    first = outcome.results[0]
    assert first.editorial and as_dict(first)["editorial"] is True
    assert EDITORIAL_MARK in first.snippet  # the excerpt carries the mark itself


def test_an_excerpt_of_official_text_is_not_flagged_editorial():
    zone = Zone.objects.get(code="hainan")
    index_record(Innovation.objects.create(title="中欧班列拼箱直通", zone=zone, published=True))
    outcome = search("中欧班列", Filters(kind="innovation"), user=None)
    assert [r.editorial for r in outcome.results] == [False]


def test_similarity_compares_official_wording_only():
    entry = SearchEntry.objects.get(kind="item", object_id="2019-supervision-15")
    assert "海淘" in entry.body and EDITORIAL_MARK in entry.body
    assert "海淘" not in entry_text(entry.title, entry.body)


def test_the_item_page_shows_the_words_marked_as_editorial(client):
    response = client.get(reverse("replication:item", args=["2019-investment-09"]))
    page = response.content.decode()
    assert response.status_code == 200
    section = page[page.index('id="everyday"') :]
    assert "编辑整理，非官方文本" in section[:400] and "房产证" in section
