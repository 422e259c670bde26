"""Search: words and their parts, filters, query understanding, highlights, index in step.

The suite runs on SQLite (FTS5) and on PostgreSQL (simple configuration): the same fixture
must give the same results on each backend.
"""

import os

import pytest
from django.core.management import call_command

from zimao.documents.analysis import analyse_bytes
from zimao.documents.services import document_store
from zimao.reforms.models import Innovation
from zimao.search.backends import Filters
from zimao.search.models import SearchEntry
from zimao.search.selectors import highlight_spans, search
from zimao.search.services import index_record
from zimao.vocab.models import Domain
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


def indexed(record):
    """As the write path leaves it after its commit."""
    index_record(record)
    return record


@pytest.fixture
def innovations():
    zone = Zone.objects.get
    domain = Domain.objects.get
    made = [
        Innovation.objects.create(
            title="外商投资准入负面清单动态调整机制",
            zone=zone(code="shanghai"),
            domain=domain(code="investment"),
            mechanism="按年度评估负面清单特别管理措施。",
            published=True,
        ),
        Innovation.objects.create(
            title="国际贸易单一窗口标准版全覆盖",
            zone=zone(code="guangdong"),
            domain=domain(code="trade"),
            mechanism="企业一次申报，口岸部门并联办理。",
            published=True,
        ),
        Innovation.objects.create(
            title="跨境服务贸易负面清单试点",
            zone=zone(code="hainan"),
            domain=domain(code="trade"),
            mechanism="以清单管理跨境服务准入。",
            published=True,
        ),
    ]
    return [indexed(innovation) for innovation in made]


def titles(outcome) -> list[str]:
    return [r.entry.title for r in outcome.results]


def test_a_dictionary_term_is_found_by_its_parts(innovations):
    whole = search("负面清单", Filters(kind="innovation"), user=None)
    part = search("清单", Filters(kind="innovation"), user=None)
    assert set(titles(whole)) == {innovations[0].title, innovations[2].title}
    assert set(titles(whole)) <= set(titles(part))


def test_filters_narrow_the_results(innovations):
    assert titles(search("负面清单", Filters(zone="hainan"), user=None)) == [innovations[2].title]
    assert titles(search("清单", Filters(kind="innovation", domain="investment"), user=None)) == [
        innovations[0].title
    ]
    items = search("公证", Filters(kind="item", batch="sc-5"), user=None)
    assert items.total == 2 and all(r.entry.batch == "sc-5" for r in items.results)


def test_zone_names_and_abbreviations_become_a_zone_filter(innovations):
    for query in [
        "沪 负面清单",
        "上海自贸区 负面清单",
        "沪自贸区负面清单",
        "中国（上海）自由贸易试验区 负面清单",
    ]:
        outcome = search(query, Filters(kind="innovation"), user=None)
        assert outcome.filters.zone == "shanghai", query
        assert titles(outcome) == [innovations[0].title], query


def test_traditional_and_full_width_input(innovations):
    traditional = search("單一窗口", Filters(kind="innovation"), user=None)
    assert traditional.query.converted and titles(traditional) == [innovations[1].title]
    assert search("ＦＴＡ单一窗口", Filters(kind="innovation"), user=None).query.text.startswith(
        "FTA"
    )


def test_highlights_point_at_the_query_words(innovations):
    outcome = search("清单", Filters(kind="innovation", zone="shanghai"), user=None)
    result = outcome.results[0]
    assert result.highlights
    for start, end in result.highlights:
        assert result.entry.body[start:end] == "清单"
    assert "<mark>清单</mark>" in result.snippet_html
    assert highlight_spans("A清单b清单", ["清单"]) == [(1, 3), (4, 6)]


def test_the_index_follows_edits_and_deletes(innovations, cast, django_capture_on_commit_callbacks):
    from zimao.reforms.services import innovation_update

    innovation = innovations[1]
    with django_capture_on_commit_callbacks(execute=True):
        innovation_update(
            user=cast.zoe, innovation=innovation, version=1, title="口岸通关无纸化改革"
        )
    assert search("单一窗口", Filters(kind="innovation"), user=None).total == 0
    assert titles(search("无纸化", Filters(kind="innovation"), user=None)) == ["口岸通关无纸化改革"]
    innovation.delete()
    assert search("无纸化", Filters(kind="innovation"), user=None).total == 0
    assert not SearchEntry.objects.filter(kind="innovation", object_id=str(innovation.pk)).exists()


def test_ingested_documents_and_their_passages_are_searchable(
    media, cast, django_capture_on_commit_callbacks
):
    text = "横琴片区推行跨境执业备案制。\n" + "背景说明。" * 120 + "\n粤港澳联合审批试点启动。\n"
    with django_capture_on_commit_callbacks(execute=True):  # indexed once the ingest commits
        stored = document_store(
            analysis=analyse_bytes("note.txt", text.encode()), data=text.encode(), user=cast.nina
        )
    assert search("联合审批", Filters(kind="passage"), user=None).total == 0  # members only
    passages = search("联合审批", Filters(kind="passage"), user=cast.otto)
    assert passages.total == 1
    entry = passages.results[0].entry
    assert entry.zone == ""  # the passage names no zone (the document's first one does)
    assert text[entry.offset :].startswith(entry.body)
    first = search("备案", Filters(kind="passage"), user=cast.otto).results[0].entry
    assert first.zone == "guangdong"  # 横琴片区 is in it
    stored.document.delete()
    assert not SearchEntry.objects.filter(kind__in=["document", "passage"]).exists()


def test_no_results_come_with_suggestions(innovations):
    outcome = search("负面清单", Filters(zone="xinjiang"), user=None)
    assert outcome.total == 0
    assert outcome.without_filters and outcome.without_filters >= 2
    assert search("清單管理制度", Filters(kind="task"), user=None).suggestions


def test_reindex_rebuilds_the_same_entries(innovations):
    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "tokens"))
    priority = os.nice(0)
    call_command("reindex")
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "tokens")) == before
    assert os.nice(0) == priority  # only `zimao reindex` as a process of its own lowers it


def test_the_search_command_prints_results(innovations, capsys):
    call_command("search", "负面清单", "--zone", "hainan")
    out = capsys.readouterr().out
    assert out.startswith("1 results for [负面清单], zone hainan")
    assert innovations[2].title in out


def test_pilot_tasks_are_searchable_by_zone_and_year():
    from zimao.reforms.models import PilotTask
    from zimao.zones.models import Plan

    plan = Plan.objects.filter(zone__code="hebei").exclude(issue_date="").first()
    task = indexed(
        PilotTask.objects.create(
            plan=plan,
            number="12",
            text="探索建立雄安片区数字人民币跨境支付试点",
            status="in_progress",
        )
    )
    outcome = search("数字人民币", Filters(kind="task"), user=None)
    assert [r.entry.object_id for r in outcome.results] == [str(task.pk)]
    entry = outcome.results[0].entry
    assert (entry.zone, entry.year) == ("hebei", int(plan.issue_date[:4]))
    task.delete()
    assert search("数字人民币", Filters(kind="task"), user=None).total == 0


def test_drafts_are_found_only_by_their_own_scope(innovations, cast):
    draft = indexed(
        Innovation.objects.create(title="未公开的负面清单草案", zone=innovations[1].zone)
    )
    assert draft.title not in titles(search("负面清单", Filters(kind="innovation"), user=None))
    assert draft.title not in titles(search("负面清单", Filters(kind="innovation"), user=cast.otto))
    for insider in (cast.zoe, cast.paul, cast.nina, cast.rita):
        assert draft.title in titles(search("负面清单", Filters(kind="innovation"), user=insider))
    draft.published = True
    indexed(draft).save()
    assert draft.title in titles(search("负面清单", Filters(kind="innovation"), user=None))


def test_reindex_works_in_batches_and_drops_entries_of_vanished_records(innovations):
    from zimao.search.services import reindex

    Innovation.objects.filter(pk=innovations[0].pk)._raw_delete(Innovation.objects.db)  # no signal
    assert SearchEntry.objects.filter(kind="innovation", object_id=str(innovations[0].pk)).exists()
    counts = reindex(batch=1)
    assert not SearchEntry.objects.filter(
        kind="innovation", object_id=str(innovations[0].pk)
    ).exists()
    assert counts["innovation"] == 2
    assert search("单一窗口", Filters(kind="innovation"), user=None).total == 1


def test_a_search_backend_that_does_not_exist_stops_the_server_at_its_checks(tmp_path):
    """No stub behind the variable: `zimao check` (which `zimao serve` runs first) refuses it."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ZIMAO_SEARCH_BACKEND": "opensearch", "PYTHONPATH": os.getcwd()}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "zimao.E010" in result.stderr and "ZIMAO_SEARCH_BACKEND=opensearch" in result.stderr
