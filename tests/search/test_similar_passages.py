"""Document passages get their similar records from the background refresh, batched: storing a
document only marks its passages pending; the refresh (the worker's task, or the end of a bulk
ingestion) scores them all at once, in both directions."""

import pytest

from tests.factories import make_innovation
from zimao.accounts.access import SystemActor
from zimao.documents.analysis import analyse_bytes
from zimao.documents.models import Document
from zimao.documents.services import document_store
from zimao.search import neighbours
from zimao.search.models import SearchEntry, SimilarEntry, SimilarPending
from zimao.search.selectors import similar_to
from zimao.search.tasks import refresh_similar

pytestmark = pytest.mark.django_db

OPERATOR = SystemActor("test")
REPAIR = (
    "保税维修业务实行一站式监管，区内企业维修料件保税进出，海关按维修账册核销，"
    "维修后的货物直接复运出境，无需逐票办理报关手续。"
)
TALENT = (
    "外籍高层次人才居留证件续签实行全程网上办理，申请人上传材料后由出入境管理部门在线审核，"
    "证件邮寄到家，无需往返窗口。"
)
FILLER = "本文件自印发之日起施行，由办公室负责解释。"


def text(*paragraphs: str) -> bytes:
    # Each paragraph padded past a passage's length, so that each is a passage of its own.
    return "\n".join(p * 8 for p in paragraphs).encode()


def store(name: str, data: bytes) -> Document:
    return document_store(analysis=analyse_bytes(name, data), data=data, user=OPERATOR).document


def passage(document: Document, words: str) -> SearchEntry:
    return SearchEntry.objects.get(
        kind="passage", object_id__startswith=f"{document.pk}:", body__contains=words
    )


def titles_near(entry: SearchEntry) -> list[str]:
    return [s.entry.title for s in similar_to(entry.kind, entry.object_id, user=OPERATOR)]


@pytest.fixture
def weights(media, django_capture_on_commit_callbacks):
    """Fitted weights and an innovation about bonded repair, as after a reindex."""
    with django_capture_on_commit_callbacks(execute=True):
        innovation = make_innovation(
            "保税维修一站式监管", "shanghai", published=True, mechanism=REPAIR
        )
    neighbours.rebuild()
    return innovation


def test_storing_marks_passages_pending_and_the_refresh_scores_them(
    weights, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = store("海关通知.txt", text(REPAIR, TALENT))
        second = store("人才通知.txt", text(TALENT, FILLER, REPAIR))
    waiting = SearchEntry.objects.filter(kind="passage")
    assert waiting.count() >= 4
    assert SimilarPending.objects.count() == waiting.count()
    assert not SimilarEntry.objects.filter(entry__kind="passage").exists()

    refresh_similar.call()  # what the worker runs

    assert not SimilarPending.objects.exists()
    near = SimilarEntry.objects.filter(entry=passage(first, "保税维修")).order_by("-score")
    assert passage(second, "保税维修") in [row.other for row in near[:2]]  # and the innovation
    talent = SimilarEntry.objects.filter(entry=passage(second, "人才")).order_by("-score")
    assert talent[0].other == passage(first, "人才")
    # A document's own passages are never listed as similar to each other.
    assert not near.filter(other__object_id__startswith=f"{first.pk}:").exists()
    # The older record's list gains the new passages (the other direction).
    innovation = SearchEntry.objects.get(kind="innovation", object_id=str(weights.pk))
    others = set(SimilarEntry.objects.filter(entry=innovation).values_list("other", flat=True))
    assert passage(first, "保税维修").pk in others and passage(second, "保税维修").pk in others
    assert first.title in titles_near(innovation)


def test_a_bulk_ingestion_scores_everything_once_at_its_end(
    weights, monkeypatch, django_capture_on_commit_callbacks
):
    calls: list[int] = []
    real = neighbours.refresh

    def counted(ids):  # counts the batches; the real refresh runs
        ids = list(ids)
        calls.append(len(ids))
        real(ids)

    monkeypatch.setattr(neighbours, "refresh", counted)
    with neighbours.batched():
        with django_capture_on_commit_callbacks(execute=True):
            first = store("海关通知.txt", text(REPAIR, TALENT))
            store("人才通知.txt", text(TALENT, REPAIR))
        assert calls == []
    assert len(calls) == 1 and calls[0] == SearchEntry.objects.filter(kind="passage").count()
    assert not SimilarPending.objects.exists()
    assert SimilarEntry.objects.filter(entry=passage(first, "保税维修")).exists()


def test_a_failed_refresh_leaves_the_entries_pending(
    weights, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(ids):
        raise RuntimeError("disk full")

    monkeypatch.setattr(neighbours, "refresh", broken)
    with neighbours.batched(), django_capture_on_commit_callbacks(execute=True):
        store("海关通知.txt", text(REPAIR, TALENT))
    assert SimilarPending.objects.count() == SearchEntry.objects.filter(kind="passage").count()
    monkeypatch.undo()
    waiting = SimilarPending.objects.count()
    assert waiting and neighbours.refresh_pending() == waiting
    assert not SimilarPending.objects.exists()


def test_reindex_clears_what_was_pending(weights, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = store("海关通知.txt", text(REPAIR, TALENT))
    assert SimilarPending.objects.exists()
    neighbours.rebuild()
    assert not SimilarPending.objects.exists()
    assert SimilarEntry.objects.filter(entry=passage(document, "保税维修")).exists()
