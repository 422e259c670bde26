"""Similar reforms elsewhere, near-duplicate groups and the differentiation view."""

import csv

import pytest

from zimao.reference.loader import DATA_DIR
from zimao.reforms.models import Innovation
from zimao.search.differentiation import zone_differentiation
from zimao.search.neighbours import refresh_pending
from zimao.search.selectors import similar_to
from zimao.search.services import index_record
from zimao.text.similarity import Weights, clusters, duplicate_pairs
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db

SAME_REFORM = [
    (
        "shanghai",
        "企业开办“一网通办”全程电子化",
        "企业开办申请、审核、发照全程网上办理，一日办结。",
    ),
    (
        "guangdong",
        "企业开办全程电子化“一网通办”改革",
        "企业开办全流程网上办理，申请、审核和发照一日办结。",
    ),
    ("sichuan", "企业开办一网通办全程电子化试点", "推行企业开办全程网上办理，审核发照一日内完成。"),
]
OTHERS = [
    (
        "shanghai",
        "保税船用燃料油跨关区直供",
        "海关对保税燃料油实行跨关区直供监管，船舶加注不再转关。",
    ),
    ("hainan", "国际船舶登记制度创新", "放宽船舶登记主体要求，实行船舶登记一站式办理。"),
]


@pytest.fixture
def innovations(django_capture_on_commit_callbacks):
    made = {}
    with django_capture_on_commit_callbacks(execute=True):  # similar records follow the commit
        for code, title, mechanism in SAME_REFORM + OTHERS:
            made[title] = Innovation.objects.create(
                title=title, mechanism=mechanism, zone=Zone.objects.get(code=code), published=True
            )
            index_record(made[title])  # as the write path does after its commit
    refresh_pending()  # as the job worker does next
    return made


def test_the_same_reform_in_other_words_is_most_similar(innovations):
    first = innovations[SAME_REFORM[0][1]]
    similar = similar_to("innovation", str(first.pk), user=None)
    top_two = {s.entry.title for s in similar[:2]}
    assert top_two == {SAME_REFORM[1][1], SAME_REFORM[2][1]}
    assert similar[0].score > similar[-1].score


def test_near_duplicates_form_one_group():
    """Weighted as in the app: document frequencies from a catalogue, not from five texts
    (where the words the three share would count as common)."""
    texts = [f"{t} {m}" for _, t, m in SAME_REFORM + OTHERS]
    with (DATA_DIR / "replication_items.csv").open(encoding="utf-8") as rows:
        catalogue = [f"{row['title']} {row['category_zh']}" for row in csv.DictReader(rows)]
    weights = Weights.fit(texts + catalogue)
    assert clusters(texts, weights=weights) == [[0, 1, 2]]
    assert all(i < j for i, j, _ in duplicate_pairs(texts, weights=weights))


def test_differentiation_separates_shared_from_unique(innovations):
    positions = zone_differentiation("shanghai").positions
    shared = [p for p in positions if not p.unique]
    unique = [p for p in positions if p.unique]
    assert [p.innovation.title for p in shared] == [SAME_REFORM[0][1]]
    assert set(shared[0].shared_with) == {"guangdong", "sichuan"}
    assert [p.innovation.title for p in unique] == [OTHERS[0][1]]


def test_pages_and_api_show_similar_and_differentiation(client, innovations):
    first = innovations[SAME_REFORM[0][1]]
    page = client.get(f"/reforms/innovations/{first.pk}/").content.decode()
    assert 'id="similar"' in page and SAME_REFORM[1][1] in page
    diff = client.get("/search/zones/shanghai/").content.decode()
    assert 'data-unique="false"' in diff and 'data-unique="true"' in diff
    body = client.get("/api/zones/shanghai/differentiation").json()
    assert {row["unique"] for row in body} == {True, False}
    similar = client.get("/api/similar", {"kind": "innovation", "id": str(first.pk)}).json()
    assert similar[0]["zone"] in {"guangdong", "sichuan"}
    assert client.get("/api/similar", {"kind": "item", "id": "nope"}).status_code == 404
    assert client.get("/api/zones/atlantis/differentiation").status_code == 404


def test_an_item_page_lists_similar_reforms(client):
    html = client.get("/replication/items/2019-investment-08/").content.decode()
    assert 'id="similar"' in html and "工程建设项目审批制度改革试点" in html
