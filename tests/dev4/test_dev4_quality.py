"""Effect statements on the dev4 set (docs/extraction.md, *Which effect statements count*):
before-values in an earlier clause or sentence, multiplicative phrasings, each side in its own
unit, ranges as before-values, before/after tables, spoken pairs, targets, absolute savings, and
statements that are no effect. Only effects are annotated in this set.
"""

import json
from pathlib import Path

from zimao.text.evaluate import evaluate
from zimao.text.extract import extract_text
from zimao.text.read import read_bytes

HERE = Path(__file__).parent
GOLD = [json.loads(line) for line in (HERE / "gold.jsonl").read_text("utf-8").splitlines()]


def _effects(name: str) -> list[dict]:
    text = read_bytes((HERE / "docs" / name).read_bytes(), name).text
    return [f.as_dict(name) for f in extract_text(text) if f.type == "effect"]


def test_the_dev4_effects_meet_the_targets():
    predictions = [p for name in sorted({g["doc"] for g in GOLD}) for p in _effects(name)]
    scores, _, _ = evaluate(GOLD, predictions)
    assert scores["effect"].recall >= 0.95, scores["effect"]
    assert scores["effect"].precision >= 0.95, scores["effect"]


def test_statements_that_are_no_effect_stay_out():
    text = (HERE / "docs" / "01_reform_review.txt").read_text("utf-8")
    tail = text.index("二、需要说明的情况")
    assert [e for e in _effects("01_reform_review.txt") if e["start"] > tail] == []
