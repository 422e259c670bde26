"""Search quality on graded queries over the replication items of the reference data.

A query file has one JSON object per line: {"query": str, "judgements": {item_code: grade}},
grades 1 (related) to 3 (exactly about it); items without a grade count as not relevant. Every
query goes through the app's own `search()` (query understanding, synonyms, relaxed matching)
restricted to replication items, and the first 10 results are scored:

- MRR@10: 1 / rank of the first judged item, 0 when none is in the top 10;
- recall@10: the share of judged items that appear in the top 10;
- nDCG@10: graded, gain 2^grade - 1, discount log2(rank + 1), divided by the best possible order.

    python benchmarks/search_eval.py --queries benchmarks/gold/search_dev_queries.jsonl

prints a JSON summary. The database is a fresh temporary SQLite loaded with zimao/data/, unless
--database-url names another (it is migrated and loaded with the reference data).
"""

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
K = 10


@dataclass(frozen=True)
class Judged:
    query: str
    judgements: dict[str, int]


def read_queries(path: Path) -> list[Judged]:
    """Parse a query file; a malformed line is an error naming the file and line."""
    queries = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        query, judgements = record.get("query"), record.get("judgements")
        valid = (
            isinstance(query, str)
            and query.strip()
            and isinstance(judgements, dict)
            and judgements
            and all(type(g) is int and 1 <= g <= 3 for g in judgements.values())
        )
        if not valid:
            raise ValueError(f"{path}:{number}: needs a query and judgements graded 1 to 3")
        queries.append(Judged(query, dict(judgements)))
    return queries


def scores(ranked: list[str], judgements: dict[str, int], k: int = K) -> dict[str, float]:
    """MRR, recall and graded nDCG of one ranked list of item codes, cut at k."""
    top = ranked[:k]
    first = next((i for i, code in enumerate(top) if code in judgements), None)
    dcg = sum((2 ** judgements.get(code, 0) - 1) / math.log2(i + 2) for i, code in enumerate(top))
    best = sorted(judgements.values(), reverse=True)[:k]
    ideal = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(best))
    return {
        "mrr": 1 / (first + 1) if first is not None else 0.0,
        "recall": len(set(top) & set(judgements)) / len(judgements),
        "ndcg": dcg / ideal,
    }


def app_search(query: str, k: int) -> tuple[list[str], int]:
    """The app's search over replication items: item codes, best first, and how many of them
    came from relaxed matching."""
    from zimao.search.backends import Filters
    from zimao.search.selectors import search

    outcome = search(query, Filters(kind="item"), user=None, limit=k)
    return [r.entry.object_id for r in outcome.results], sum(r.relaxed for r in outcome.results)


def all_words_search(query: str, k: int) -> tuple[list[str], int]:
    """The comparison: every query word must match as typed (no synonyms, no parts); any word
    only when no item has them all. This is how search worked before synonyms and relaxed
    matching."""
    from zimao.search.backends import Filters, get_backend
    from zimao.search.models import SearchEntry
    from zimao.search.query import parse_query

    parsed, backend = parse_query(query), get_backend()
    filters = Filters(kind="item", zone=parsed.zone or "")
    hits = backend.search(parsed.tokens, filters, limit=k, offset=0).hits
    if not hits and len(parsed.tokens) > 1:
        hits = backend.search(parsed.tokens, filters, limit=k, offset=0, any_token=True).hits
    codes = SearchEntry.objects.in_bulk([h.entry_id for h in hits])
    return [codes[h.entry_id].object_id for h in hits], 0


BM25_K1, BM25_B = 1.2, 0.75


@lru_cache(maxsize=1)
def _official_items() -> tuple[list[str], list[Counter[str]]]:
    """Each replication item's official text (title, category, responsible unit, scope: no
    editorial description or everyday words), as index words counted."""
    from zimao.replication.models import ReplicationItem
    from zimao.search.services import tokens_of

    codes, bags = [], []
    for item in ReplicationItem.objects.order_by("code"):
        words = tokens_of(item.title, item.category_zh, item.responsible_unit, item.scope)
        codes.append(item.code)
        bags.append(Counter(words.split()))
    return codes, bags


def bm25_search(query: str, k: int) -> tuple[list[str], int]:
    """The baseline: plain Okapi BM25 (k1 1.2, b 0.75) of the query's words as typed, any of
    them, over the items' official text, with the app's segmenter; no synonyms, no editorial
    words, no relaxed matching."""
    from zimao.search.query import terms
    from zimao.text.normalize import FOLD

    codes, bags = _official_items()
    words = terms(query.translate(FOLD))
    lengths = [sum(bag.values()) for bag in bags]
    average = sum(lengths) / len(lengths)
    scored = []
    for code, bag, length in zip(codes, bags, lengths, strict=True):
        score = 0.0
        for word in words:
            tf = bag.get(word, 0)
            if tf:
                n = sum(1 for other in bags if word in other)
                idf = math.log((len(bags) - n + 0.5) / (n + 0.5) + 1)
                score += (
                    idf
                    * tf
                    * (BM25_K1 + 1)
                    / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / average))
                )
        if score > 0:
            scored.append((-score, code))
    return [code for _, code in sorted(scored)[:k]], 0


SYSTEMS = {"app": app_search, "all-words": all_words_search, "bm25": bm25_search}


def evaluate(queries: list[Judged], k: int = K, system: str = "app") -> dict[str, Any]:
    """Run every query through a search system over replication items; average the scores."""
    from zimao.replication.models import ReplicationItem
    from zimao.search.backends import get_backend

    known = set(ReplicationItem.objects.values_list("code", flat=True))
    unknown = sorted({code for q in queries for code in q.judgements} - known)
    if unknown:
        raise ValueError(f"judged items not in the reference data: {', '.join(unknown)}")
    per_query = []
    for judged in queries:
        ranked, relaxed = SYSTEMS[system](judged.query, k)
        per_query.append(
            {
                "query": judged.query,
                **scores(ranked, judged.judgements, k),
                "relevant": len(judged.judgements),
                "ranked": ranked,
                "relaxed": relaxed,
            }
        )
    mean = lambda key: round(statistics.mean(q[key] for q in per_query), 4)  # noqa: E731
    return {
        "system": system,
        "queries": len(per_query),
        "backend": get_backend().name,
        "mrr@10": mean("mrr"),
        "recall@10": mean("recall"),
        "ndcg@10": mean("ndcg"),
        "per_query": per_query,
    }


def evaluate_file(path: Path, system: str = "app") -> dict[str, Any]:
    """Scores for one query file; Django must be set up with the reference data loaded."""
    return {"file": str(path), **evaluate(read_queries(path), system=system)}


def evaluate_gold(folder: Path = ROOT / "benchmarks" / "gold") -> list[dict[str, Any]]:
    """Both systems on every query file named search_*queries*.jsonl in `folder` and on the
    blind sets' queries (benchmarks/blind/set-*/queries.jsonl, written by people who never saw
    the search code), without the per-query details; Django must be set up with the reference
    data loaded."""
    out = []
    blind = sorted((ROOT / "benchmarks" / "blind").glob("set-*/queries.jsonl"))
    for path in [*sorted(folder.glob("search_*queries*.jsonl")), *blind]:
        for system in SYSTEMS:
            summary = evaluate_file(path, system)
            summary.pop("per_query")
            out.append(summary)
    return out


def prepare_database(url: str | None = None) -> None:
    """Set up Django on `url` (default: a fresh temporary SQLite), migrate, load zimao/data/."""
    if url is None:
        folder = tempfile.mkdtemp(prefix="zimao-search-eval-")
        url = f"sqlite:///{folder}/eval.sqlite3"
        os.environ["ZIMAO_VAR_DIR"] = folder
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zimao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from zimao.reference.loader import load_reference

    call_command("migrate", verbosity=0)
    load_reference()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, help="JSONL query file")
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="every system on the development and blind query files, as the Markdown section "
        "of docs/benchmarks.md",
    )
    parser.add_argument("--database-url", help="database to use instead of a temporary SQLite")
    parser.add_argument("--per-query", action="store_true", help="include each query's scores")
    parser.add_argument(
        "--system",
        choices=sorted(SYSTEMS),
        default="app",
        help="app: the search as shipped; bm25: plain BM25 over the official text (the "
        "baseline); all-words: every word as typed, as search worked at first",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if not args.markdown and args.queries is None:
        parser.error("--queries or --markdown is needed")
    prepare_database(args.database_url)
    if args.markdown:
        from benchmarks.run import _search_quality_lines

        print("\n".join(_search_quality_lines(evaluate_gold())))
        return
    summary = evaluate_file(args.queries, args.system)
    if not args.per_query:
        summary.pop("per_query")
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
