"""Extraction quality on our own genre documents, as plain text and in every other format.

The thresholds guard against regressions; `make bench` reports the full figures.
"""

import json
from pathlib import Path

import pytest

from tests.text.builders import VARIANTS
from zimao.text.evaluate import evaluate
from zimao.text.extract import extract_text
from zimao.text.read import read_bytes

HERE = Path(__file__).parent
GOLD = [json.loads(line) for line in (HERE / "gold.jsonl").read_text("utf-8").splitlines()]
DOCS = sorted({g["doc"] for g in GOLD})


def predictions(reader) -> list[dict]:
    out = []
    for name in DOCS:
        text = (HERE / "docs" / name).read_text("utf-8")
        out += [f.as_dict(name) for f in extract_text(reader(name, text))]
    return out


def test_plain_text_meets_the_targets():
    scores, _, _ = evaluate(GOLD, predictions(lambda name, text: text))
    for kind in ("quantity", "zone", "date"):
        assert scores[kind].f1 >= 0.95, (kind, scores[kind])
    assert scores["effect"].recall >= 0.85
    assert scores["effect"].precision >= 0.80


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_format_keeps_the_facts(variant):
    render = VARIANTS[variant]

    def reader(name: str, text: str) -> str:
        return read_bytes(render(text), f"{Path(name).stem}.{variant.split('-')[0]}").text

    scores, _, _ = evaluate(GOLD, predictions(reader), by_text=True)
    for kind in ("quantity", "zone", "date"):
        assert scores[kind].f1 >= 0.9, (variant, kind, scores[kind])
    assert scores["effect"].recall >= 0.8, (variant, scores["effect"])
    assert all(f["redacted"] for f in GOLD if f.get("redacted")), "fixture sanity"
