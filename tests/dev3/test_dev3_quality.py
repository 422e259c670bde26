"""Extraction quality on the dev3 set: table cells with inherited units, OCR renderings, spoken
numbers and effect statements across clauses (docs/extraction.md).

The thresholds are the targets for unseen text; `make bench` reports the full figures.
"""

import json
from pathlib import Path

from zimao.text.evaluate import evaluate
from zimao.text.extract import extract_text
from zimao.text.read import read_bytes

HERE = Path(__file__).parent
GOLD = [json.loads(line) for line in (HERE / "gold.jsonl").read_text("utf-8").splitlines()]


def test_the_dev3_documents_meet_the_targets():
    predictions = []
    for name in sorted({g["doc"] for g in GOLD}):
        text = read_bytes((HERE / "docs" / name).read_bytes(), name).text
        predictions += [f.as_dict(name) for f in extract_text(text)]
    scores, _, _ = evaluate(GOLD, predictions)
    for kind in ("quantity", "zone", "date"):
        assert scores[kind].f1 >= 0.95, (kind, scores[kind])
    assert scores["effect"].recall >= 0.90, scores["effect"]
    assert scores["effect"].precision >= 0.90, scores["effect"]


def test_table_cells_keep_their_row_and_column():
    text = (HERE / "docs" / "02_customs_bulletin.txt").read_text("utf-8")
    cells = {
        f.text: (f.fields["unit"], f.fields["row"], f.fields["column"], f.fields["unit_source"])
        for f in extract_text(text)
        if f.type == "quantity" and "unit_source" in f.fields
    }
    assert cells["-2.1"] == ("%", "崇左片区", "同比(%)", "column")
    assert cells["1520.3"] == ("万吨", "铁矿砂", "数量", "unit_column")
    assert cells["1268400"] == ("万元", "铁矿砂", "金额（万元）", "column")
