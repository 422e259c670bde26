"""Word lists the extractors read, kept as data next to this module (see README.md here)."""

import csv
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def units() -> dict[str, str]:
    """Every unit the quantity pattern knows, with its kind (count, place, time, ratio …)."""
    return {row["unit"]: row["kind"] for row in _rows("units.csv")}


@cache
def set_phrases() -> tuple[str, ...]:
    """Fixed phrases whose counting words are not quantities (一站式, 一网通办, 两翼)."""
    lines = (HERE / "set_phrases.txt").read_text("utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def change_verbs() -> dict[str, tuple[str, str]]:
    """verb -> (direction, class); class is process, generic or bound (needs 至/到/为)."""
    return {row["verb"]: (row["direction"], row["class"]) for row in _rows("change_verbs.csv")}


@cache
def measure_words() -> dict[str, str]:
    """Head words of what changed -> effect (how things are done) or indicator (statistics)."""
    return {row["word"]: row["class"] for row in _rows("measures.csv")}
