"""Extraction quality on the dev2 set: the error classes listed in docs/extraction.md.

The thresholds are the targets for unseen text; `make bench` reports the full figures.
"""

import json
from pathlib import Path

from zimao.text.evaluate import evaluate
from zimao.text.extract import extract_text

HERE = Path(__file__).parent
GOLD = [json.loads(line) for line in (HERE / "gold.jsonl").read_text("utf-8").splitlines()]


def test_the_dev2_documents_meet_the_targets():
    predictions = []
    for name in sorted({g["doc"] for g in GOLD}):
        text = (HERE / "docs" / name).read_text("utf-8")
        predictions += [f.as_dict(name) for f in extract_text(text)]
    scores, _, _ = evaluate(GOLD, predictions)
    for kind in ("quantity", "zone", "date"):
        assert scores[kind].f1 >= 0.95, (kind, scores[kind])
    assert scores["effect"].recall >= 0.85, scores["effect"]
    assert scores["effect"].precision >= 0.80, scores["effect"]
