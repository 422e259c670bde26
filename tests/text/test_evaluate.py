"""Scoring against gold: precision, recall and F1 per type, and what kind each error is."""

import json

from django.core.management import call_command

from zimao.text.evaluate import evaluate_in_detail


def fact(kind: str, start: int, end: int, **fields) -> dict:
    return {"doc": "a.txt", "type": kind, "start": start, "end": end, **fields}


GOLD = [
    fact("quantity", 0, 4, value=12, unit="亿元"),
    fact("quantity", 10, 13, value=5, unit="个"),
    fact("quantity", 20, 23, value=3, unit="项"),
    fact("effect", 30, 40, before=None, after=None, change_pct=-60, direction="decrease"),
]
PREDICTED = [
    fact("quantity", 0, 4, value=1200000000, unit="元"),  # the same magnitude
    fact("quantity", 1, 3, value=12, unit="亿元"),  # a second prediction on a matched fact
    fact("quantity", 10, 13, value=5, unit="项"),  # right place, wrong unit
    fact("quantity", 50, 52, value=2, unit="种"),  # nothing there
    fact("effect", 30, 40, before=None, after=None, change_pct=60, direction="increase"),
    fact("effect", 60, 66, change_pct=12, direction="increase"),
]


def test_every_error_gets_a_category():
    result = evaluate_in_detail(GOLD, PREDICTED)
    quantity, effect = result.scores["quantity"], result.scores["effect"]
    assert (quantity.gold, quantity.predicted, quantity.matched) == (3, 4, 1)
    assert quantity.precision == 0.25
    assert dict(quantity.false_negatives) == {"wrong fields": 1, "missed": 1}
    assert dict(quantity.false_positives) == {"duplicate": 1, "wrong fields": 1, "spurious": 1}
    assert dict(effect.false_positives) == {"wrong fields": 1, "spurious": 1}
    wrong = {e.fact["type"]: e for e in result.errors if e.side == "gold" and e.other}
    assert wrong["quantity"].differences() == {"unit": ("个", "项")}
    assert wrong["effect"].differences() == {
        "change_pct": (-60, 60),
        "direction": ("decrease", "increase"),
    }


def test_the_command_reports_precision_and_the_error_summary(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("全年进出口增长12%，审批时限压缩超过六成，推出两种模式。", "utf-8")
    gold = [
        fact("quantity", 7, 10, value=12, unit="%"),
        fact("quantity", 17, 21, value=6, unit="成", approx="超过"),
        fact("effect", 15, 21, change_pct=-60, direction="decrease"),
    ]
    (tmp_path / "gold.jsonl").write_text(
        "\n".join(json.dumps(g, ensure_ascii=False) for g in gold), "utf-8"
    )
    call_command("eval_extract", "--gold", str(tmp_path / "gold.jsonl"), "--show-errors")
    out = capsys.readouterr().out
    assert "quantity       2     2      2  1.000  1.000  1.000" in out
    assert "effect         1     1      1  1.000  1.000  1.000" in out
    assert "missed" in out and "spurious" in out

    call_command("eval_extract", "--gold", str(tmp_path / "gold.jsonl"), "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["effect"]["false_positives"] == {}
    assert payload["quantity"]["precision"] == 1.0


def test_a_full_width_unit_is_the_same_unit():
    from zimao.text.evaluate import keys_agree

    gold = {"value": None, "unit": "％"}
    assert keys_agree("quantity", gold, {"value": None, "unit": "%"})
    assert keys_agree("quantity", {"value": 7, "unit": "％"}, {"value": 7, "unit": "%"})


def test_a_count_matches_with_or_without_its_noun_and_a_before_as_a_magnitude():
    from zimao.text.evaluate import keys_agree

    assert keys_agree("quantity", {"value": 4, "unit": "个环节"}, {"value": 4, "unit": "个"})
    assert not keys_agree("quantity", {"value": 4, "unit": "个月"}, {"value": 4, "unit": "个"})
    gold = {"before": 182.5, "after": 14, "unit": "天"}
    predicted = {"before": 0.5, "before_unit": "年", "after": 2, "unit": "周"}
    assert keys_agree("effect", gold, predicted)
    assert not keys_agree("effect", gold, predicted | {"after": 3})
