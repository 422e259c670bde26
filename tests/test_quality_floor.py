"""Extraction quality on every development set may not fall below the figures `make bench`
last recorded (benchmarks/quality_floor.json) by more than a small margin.

The floor holds the development sets (our own genre, held-out and dev2 sets, the third-party
corpus, the blind sets after their first look). A fresh blind set is scored once at first look
and only then joins them.
"""

import json
from pathlib import Path

import pytest

from zimao.text.evaluate import evaluate
from zimao.text.extract import extract_text
from zimao.text.read import read_bytes

ROOT = Path(__file__).resolve().parent.parent
FLOOR = json.loads((ROOT / "benchmarks" / "quality_floor.json").read_text("utf-8"))
CORPUS = ROOT.parent / "shared" / "corpus"
MARGIN = 0.02


def gold_and_docs(folder: Path) -> tuple[list[dict], Path] | None:
    if (folder / "corpus.jsonl").exists():
        gold_file, docs = folder / "corpus.jsonl", CORPUS
    else:
        gold_file, docs = folder / "gold.jsonl", folder / "docs"
    if not gold_file.exists() or not docs.exists():
        return None
    lines = gold_file.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line], docs


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_development_quality_holds(name):
    found = gold_and_docs(ROOT / name)
    if found is None:
        pytest.skip(f"{name}: documents not present on this machine")
    gold, docs = found
    predictions = []
    for doc in sorted({g["doc"] for g in gold}):
        text = read_bytes((docs / doc).read_bytes(), doc).text
        predictions += [f.as_dict(doc) for f in extract_text(text)]
    scores, _, _ = evaluate(gold, predictions, by_text=False)
    for kind, recorded in FLOOR[name].items():
        now = scores[kind]
        for measure in ("precision", "recall", "f1"):
            assert getattr(now, measure) >= recorded[measure] - MARGIN, (name, kind, measure)
