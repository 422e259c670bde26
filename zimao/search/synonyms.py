"""The domain synonym table (zimao/data/synonyms.csv) as query expansions.

A `same` row names one thing several ways (外资, 外商投资): each form expands to all the others,
and rows that share a form merge. A `narrower` row lists more specific words that a query for
the term also accepts (税收 also finds 退税); they do not expand back, and they apply to every
form of the term.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from zimao.text.normalize import FOLD

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
RELATIONS = ("same", "narrower")
SEPARATOR = "；"


@dataclass(frozen=True)
class Row:
    line: int
    term: str
    synonyms: tuple[str, ...]
    relation: str
    source: str


def normal(word: str) -> str:
    return word.translate(FOLD).strip().lower()


def read_rows(path: Path) -> list[Row]:
    """The rows of a synonym file; a malformed row is a ValueError naming its line."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            term = normal(record.get("term") or "")
            synonyms = tuple(
                dict.fromkeys(
                    s for s in map(normal, (record.get("synonyms") or "").split(SEPARATOR)) if s
                )
            )
            relation = (record.get("relation") or "").strip()
            source = (record.get("source") or "").strip()
            if not term or not synonyms or relation not in RELATIONS or not source:
                raise ValueError(
                    f"{path.name}:{line}: needs a term, synonyms, a relation "
                    f"({' or '.join(RELATIONS)}) and a source"
                )
            if term in synonyms:
                raise ValueError(f"{path.name}:{line}: {term} is listed as its own synonym")
            rows.append(Row(line, term, synonyms, relation, source))
    return rows


def expansions(rows: list[Row]) -> dict[str, tuple[str, ...]]:
    """Each word of the table and the other words a query for it accepts."""
    parent: dict[str, str] = {}

    def root(word: str) -> str:
        while parent.setdefault(word, word) != word:
            word = parent[word]
        return word

    for row in rows:
        root(row.term)
        if row.relation == "same":
            for synonym in row.synonyms:
                parent[root(synonym)] = root(row.term)
    sets: dict[str, list[str]] = {}
    for word in list(parent):
        sets.setdefault(root(word), []).append(word)
    narrower: dict[str, list[str]] = {}
    for row in rows:
        if row.relation == "narrower":
            narrower.setdefault(root(row.term), []).extend(row.synonyms)
    out: dict[str, tuple[str, ...]] = {}
    for key, members in sets.items():
        for word in members:
            more = [m for m in members if m != word] + narrower.get(key, [])
            out[word] = tuple(dict.fromkeys(m for m in more if m != word))
    return out


@lru_cache(maxsize=2)
def load_synonyms(path: Path = DATA_DIR / "synonyms.csv") -> dict[str, tuple[str, ...]]:
    return expansions(read_rows(path))
