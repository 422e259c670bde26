"""Precision, recall and F1 per fact type against gold annotations (see docs/extraction.md)."""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAGNITUDE = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
MEASURED_WITH_GE = frozenset({"个月", "个小时", "个百分点", "个工作日"})


def base_quantity(value: float | None, unit: str | None) -> tuple[float | None, str]:
    """Return (magnitude, base unit): 1.2万家 → (12000, 家), 四成 → (40, %)."""
    if not unit and value is not None and abs(value) <= 1:
        return value * 100, "%"  # 一半 written as 0.5 or as 50 %: the same magnitude
    unit = unicodedata.normalize("NFKC", unit or "")  # ％ as written is the unit %
    factor = 1.0
    for prefix in sorted(MAGNITUDE, key=len, reverse=True):
        if unit.startswith(prefix):
            factor, unit = MAGNITUDE[prefix], unit[len(prefix) :]
            break
    if unit == "成":
        factor, unit = factor * 10, "%"
    if unit in {"个工作日", "工作日"}:
        unit = "工作日"
    elif unit.startswith("个") and unit not in MEASURED_WITH_GE:
        unit = "个"  # 4个环节 written with the counted noun or without it: 4 个
    return (None if value is None else value * factor), unit


def _close(a: float | None, b: float | None, tolerance: float = 1e-6) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


DAYS = {"分钟": 1 / 1440, "小时": 1 / 24, "个小时": 1 / 24, "天": 1, "日": 1, "周": 7}
DAYS |= {"个月": 30, "月": 30, "年": 365}


def _magnitude(fact: dict[str, Any], side: str) -> tuple[float | None, str]:
    """An effect's before or after value as a magnitude: in days for durations, else in its
    base unit. The before value keeps its own unit (`before_unit`, else `unit`), so 半年 →
    两周 has before 0.5 年; a gold that wrote it in the after unit (182.5 天) still matches."""
    value = fact.get(side)
    unit = (fact.get("before_unit") if side == "before" else None) or fact.get("unit") or ""
    if value is None:
        return None, unit
    if unit in DAYS:
        return value * DAYS[unit], "天"
    return base_quantity(value, unit)


def _same_side(gold: dict[str, Any], pred: dict[str, Any], side: str) -> bool:
    if _close(gold.get(side), pred.get(side)):
        return True
    g, p = _magnitude(gold, side), _magnitude(pred, side)
    return g[0] is not None and g[1] == p[1] and _close(g[0], p[0], 1e-3)


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
            return _same_side(gold, pred, "before") and _same_side(gold, pred, "after")
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
    """Counts for one fact type. Every unmatched fact also gets a short category:

    - a gold fact is *missed* (no prediction of its type overlaps it) or has *wrong fields*
      (a prediction overlaps it, but its key fields disagree);
    - a prediction is *spurious* (it overlaps no gold fact of its type), has *wrong fields*
      (it overlaps an unmatched gold fact) or is a *duplicate* (it overlaps only gold facts
      that other predictions matched).
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    false_negatives: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "false_negatives": dict(self.false_negatives),
            "false_positives": dict(self.false_positives),
        }

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


KEY_FIELDS = {
    "zone": ("zone", "area"),
    "date": ("date",),
    "quantity": ("value", "value_max", "unit", "redacted"),
    "effect": ("before", "after", "unit", "change_pct", "change_abs", "direction"),
    # before_unit and before_max are recorded, not matched: before compares as a magnitude
    "table_row": ("seq",),
}


@dataclass
class Error:
    """One unmatched fact: `side` is "gold" (a false negative) or "predicted" (a false
    positive); `other` is the overlapping fact of the other side, if any."""

    side: str
    category: str
    fact: dict[str, Any]
    other: dict[str, Any] | None = None

    def differences(self) -> dict[str, tuple[Any, Any]]:
        """Key fields that differ, as (gold, predicted)."""
        if self.other is None:
            return {}
        gold, predicted = (
            (self.fact, self.other) if self.side == "gold" else (self.other, self.fact)
        )
        return {
            name: (gold.get(name), predicted.get(name))
            for name in KEY_FIELDS.get(self.fact["type"], ())
            if name in gold and gold.get(name) != predicted.get(name)
        }


@dataclass
class Evaluation:
    scores: dict[str, Score]
    errors: list[Error]

    @property
    def misses(self) -> list[dict[str, Any]]:
        return [e.fact for e in self.errors if e.side == "gold"]

    @property
    def false_alarms(self) -> list[dict[str, Any]]:
        return [e.fact for e in self.errors if e.side == "predicted"]


def _in_ranges(fact: dict[str, Any], ranges: list[tuple[int, int]]) -> bool:
    return not ranges or any(a <= fact["start"] and fact["end"] <= b for a, b in ranges)


def evaluate(
    gold: Iterable[dict[str, Any]],
    predictions: Iterable[dict[str, Any]],
    *,
    by_text: bool = False,
) -> tuple[dict[str, Score], list[dict[str, Any]], list[dict[str, Any]]]:
    """Score predictions against gold; return scores per type, misses and false alarms."""
    result = evaluate_in_detail(gold, predictions, by_text=by_text)
    return result.scores, result.misses, result.false_alarms


def evaluate_in_detail(
    gold: Iterable[dict[str, Any]],
    predictions: Iterable[dict[str, Any]],
    *,
    by_text: bool = False,
) -> Evaluation:
    """Score predictions against gold, with every unmatched fact and its category.

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

    def same_place(g: dict[str, Any], p: dict[str, Any]) -> bool:
        if by_text:
            return _contains(_compact(p.get("text", "")), _compact(g.get("text", "")))
        return bool(p["start"] < g["end"] and g["start"] < p["end"])

    scores: dict[str, Score] = defaultdict(Score)
    errors: list[Error] = []
    for key in sorted(set(golds) | set(preds)):
        kind = key[1]
        score = scores[kind]
        candidates = sorted(preds.get(key, []), key=lambda f: f["start"])
        truths = sorted(golds.get(key, []), key=lambda f: f["start"])
        used = [False] * len(candidates)
        found = [False] * len(truths)
        for j, g in enumerate(truths):
            for i, p in enumerate(candidates):
                if not used[i] and same_place(g, p) and keys_agree(kind, g, p):
                    used[i] = found[j] = True
                    break
        score.gold += len(truths)
        score.predicted += len(candidates)
        score.matched += sum(found)
        for j, g in enumerate(truths):
            if not found[j]:
                other = next((p for p in candidates if same_place(g, p)), None)
                category = "missed" if other is None else "wrong fields"
                errors.append(Error("gold", category, g, other))
                score.false_negatives[category] += 1
        for i, p in enumerate(candidates):
            if used[i]:
                continue
            overlapping = [j for j, g in enumerate(truths) if same_place(g, p)]
            open_gold = next((truths[j] for j in overlapping if not found[j]), None)
            if open_gold is not None:
                category = "wrong fields"
            else:
                category = "duplicate" if overlapping else "spurious"
            errors.append(Error("predicted", category, p, open_gold))
            score.false_positives[category] += 1
    return Evaluation(dict(scores), errors)
