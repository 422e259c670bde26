"""The search evaluation harness: its metrics, its query format, a run over the items."""

import json
import math

import pytest

from benchmarks.search_eval import ROOT, Judged, evaluate, read_queries, scores


def test_a_perfect_ranking_scores_one():
    assert scores(["a", "b", "x"], {"a": 3, "b": 1}) == {"mrr": 1.0, "recall": 1.0, "ndcg": 1.0}


def test_grades_weigh_in_ndcg_and_recall_counts_every_judged_item():
    got = scores(["x", "b", "a"], {"a": 3, "b": 1, "c": 2})
    assert got["mrr"] == 0.5
    assert got["recall"] == pytest.approx(2 / 3)
    dcg = 1 / math.log2(3) + 7 / math.log2(4)
    ideal = 7 + 3 / math.log2(3) + 1 / math.log2(4)
    assert got["ndcg"] == pytest.approx(dcg / ideal)


def test_items_below_the_cut_do_not_count():
    ranked = [f"x{i}" for i in range(10)] + ["a"]
    assert scores(ranked, {"a": 3}) == {"mrr": 0.0, "recall": 0.0, "ndcg": 0.0}


def test_a_malformed_line_names_its_file_and_line(tmp_path):
    path = tmp_path / "q.jsonl"
    good = json.dumps({"query": "公证", "judgements": {"2019-investment-01": 3}})
    path.write_text(good + "\n" + json.dumps({"query": "x", "judgements": {"a": 5}}) + "\n")
    with pytest.raises(ValueError, match=r"q.jsonl:2"):
        read_queries(path)


def test_the_development_queries_are_well_formed():
    queries = read_queries(ROOT / "benchmarks/gold/search_dev_queries.jsonl")
    assert len(queries) >= 20


@pytest.mark.django_db
def test_the_harness_runs_the_app_search_over_items():
    summary = evaluate([Judged("公证", {"2019-investment-01": 3, "2019-investment-02": 3})])
    assert summary["mrr@10"] == 1.0 and summary["recall@10"] == 1.0
    assert set(summary["per_query"][0]["ranked"]) == {"2019-investment-01", "2019-investment-02"}
    with pytest.raises(ValueError, match="not-an-item"):
        evaluate([Judged("公证", {"not-an-item": 1})])


@pytest.mark.django_db
def test_the_comparison_system_needs_every_word_as_typed():
    judged = [Judged("跨境电子商务", {"2019-finance-05": 3, "2019-supervision-15": 3})]
    before = evaluate(judged, system="all-words")["per_query"][0]
    after = evaluate(judged)["per_query"][0]
    assert before["ranked"] == ["2019-finance-05"]  # the other item says 跨境电商
    assert after["recall"] == 1.0 > before["recall"]


@pytest.mark.django_db
def test_the_bm25_baseline_reads_only_the_official_text():
    judged = [Judged("海淘", {"2019-supervision-15": 3})]  # an everyday word, editorial only
    assert evaluate(judged, system="bm25")["per_query"][0]["ranked"] == []
    assert evaluate(judged)["per_query"][0]["ranked"][0] == "2019-supervision-15"
    official = evaluate([Judged("公证", {"2019-investment-01": 3})], system="bm25")
    assert set(official["per_query"][0]["ranked"]) == {"2019-investment-01", "2019-investment-02"}
