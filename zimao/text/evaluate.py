"""Precision, recall and F1 per fact type against gold annotations (see docs/extraction.md)."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGNITUDE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}


def base_quantity(value: float | None, unit: str | None) -> tuple[float | None, str]:
    """Return (magnitude, base unit): 1.2万家 → (12000, 家), 四成 → (40, %)."""
    if not unit and value is not None and abs(value) <= 1:
        return value * 100, "%"  # 一半 written as 0.5 or as 50 %: the same magnitude
    unit = unit or ""
    factor = 1.0
    for prefix in sorted(MAGNITUDE, key=len, reverse=True):
        if unit.startswith(prefix):
            factor, unit = MAGNITUDE[prefix], unit[len(prefix) :]
            break
    if unit == "成":
        factor, unit = factor * 10, "%"
    if unit in {"个工作日", "工作日"}:
        unit = "工作日"
    return (None if value is None else value * factor), unit


def _close(a: float | None, b: float | None, tolerance: float = 1e-6) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def keys_agree(kind: str, gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if kind == "zone":
        return bool(gold.get("zone") == pred.get("zone"))
    if kind == "date":
        return bool(gold.get("date") == pred.get("date"))
    if kind == "quantity":
        g = base_quantity(gold.get("value"), gold.get("unit"))
        p = base_quantity(pred.get("value"), pred.get("unit"))
        return g[1] == p[1] and _close(g[0], p[0])
    if kind == "effect":
        if gold.get("before") is not None or gold.get("after") is not None:
            return _close(gold.get("before"), pred.get("before")) and _close(
                gold.get("after"), pred.get("after")
            )
        if gold.get("change_pct") is not None and pred.get("change_pct") is not None:
            return bool(abs(gold["change_pct"] - pred["change_pct"]) <= 0.5)
        return bool(gold.get("direction") == pred.get("direction"))
    if kind == "table_row" and gold.get("seq") is not None:
        return bool(gold["seq"] == pred.get("seq"))
    return True


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _contains(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def as_dict(self) -> dict[str, float]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _in_ranges(fact: dict[str, Any], ranges: list[tuple[int, int]]) -> bool:
    return not ranges or any(a <= fact["start"] and fact["end"] <= b for a, b in ranges)


def evaluate(
    gold: Iterable[dict[str, Any]],
    predictions: Iterable[dict[str, Any]],
    *,
    by_text: bool = False,
) -> tuple[dict[str, Score], list[dict[str, Any]], list[dict[str, Any]]]:
    """Score predictions against gold; return scores per type, misses and false alarms.

    By default a match needs overlapping spans (same document and type) and agreeing key
    fields. With by_text, spans are compared by their whitespace-free text instead, for the
    same document read from another format whose offsets differ.
    """
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    golds: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for fact in gold:
        doc = Path(fact["doc"]).name
        if fact["type"] == "_range":
            ranges[doc].append((fact["start"], fact["end"]))
        else:
            golds[(doc, fact["type"])].append(fact)
    preds: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for fact in predictions:
        doc = Path(fact["doc"]).stem if by_text else Path(fact["doc"]).name
        if by_text or _in_ranges(fact, ranges[doc]):
            preds[(doc, fact["type"])].append(fact)
    if by_text:
        golds = {(Path(doc).stem, kind): facts for (doc, kind), facts in golds.items()}
    scores: dict[str, Score] = defaultdict(Score)
    misses, false_alarms = [], []
    for key in set(golds) | set(preds):
        kind = key[1]
        candidates = sorted(preds.get(key, []), key=lambda f: f["start"])
        used = [False] * len(candidates)
        for g in sorted(golds.get(key, []), key=lambda f: f["start"]):
            found = False
            for i, p in enumerate(candidates):
                if used[i]:
                    continue
                same_place = (
                    _contains(_compact(p.get("text", "")), _compact(g.get("text", "")))
                    if by_text
                    else p["start"] < g["end"] and g["start"] < p["end"]
                )
                if same_place and keys_agree(kind, g, p):
                    used[i] = found = True
                    break
            scores[kind].matched += found
            if not found:
                misses.append(g)
        scores[kind].gold += len(golds.get(key, []))
        scores[kind].predicted += len(candidates)
        false_alarms += [p for i, p in enumerate(candidates) if not used[i]]
    return dict(scores), misses, false_alarms
