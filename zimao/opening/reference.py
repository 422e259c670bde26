"""The opening tables of the reference dataset: cross-checks and the write.

An edition marked `complete` must hold exactly its published number of measures, `partial`
fewer, `not_loaded` none; a foreign-investment edition publishes the same total as its row in
negative_lists.csv. Measures are counted once per (topic), whatever their parts.
"""

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .models import Edition, Measure, Sector

if TYPE_CHECKING:
    from zimao.reference.loader import Dataset, LoadReport, Problem


def measure_counts(dataset: "Dataset") -> dict[str, int]:
    """Measures per edition code in the data files, as the list numbers them: rows sharing an
    item number count once (one item may set conditions on two topics, e.g. the FTZ 2021
    survey item); rows without a number count once per topic."""
    items: dict[str, set[object]] = defaultdict(set)
    for row in dataset["opening_measures.csv"]:
        items[row["edition"]].add(row["seq"] if row["seq"] is not None else row["topic"])
    return {code: len(found) for code, found in items.items()}


def check_opening(dataset: "Dataset", problems: "list[Problem]") -> None:
    from zimao.reference.loader import Problem

    file = "opening_editions.csv"
    counts = measure_counts(dataset)
    negative = {r["code"]: r for r in dataset["negative_lists.csv"]}
    for row in dataset[file]:
        loaded, total, status = counts.get(row["code"], 0), row["measures"], row["status"]
        if row["negative_list"]:
            published = negative[row["negative_list"]]["measures"]
            if published != total:
                problems.append(
                    Problem(file, row.line, f"measures {total} differ from negative_lists.csv "
                            f"({published}) for {row['negative_list']}")
                )  # fmt: skip
        wrong = (
            (status == "complete" and loaded != total)
            or (status == "partial" and not (loaded > 0 and (total is None or loaded < total)))
            or (status == "not_loaded" and loaded)
        )
        if wrong:
            problems.append(
                Problem(file, row.line, f"status {status} but {loaded} measure(s) loaded "
                        f"of {total}")
            )  # fmt: skip
    for row in dataset["opening_measures.csv"]:
        restricted = row["kind"] == "restricted"
        if restricted != bool(row["restrictions"]):
            problems.append(
                Problem("opening_measures.csv", row.line,
                        "restrictions are given for restricted measures, and only for them")
            )  # fmt: skip
        cap = row["foreign_cap"]
        if cap is not None and not (0 <= cap <= 100 and "equity_cap" in row["restrictions"]):
            problems.append(
                Problem("opening_measures.csv", row.line,
                        "foreign_cap is a share 0–100 of an equity_cap measure")
            )  # fmt: skip


def write_opening(dataset: "Dataset", report: "LoadReport") -> None:
    from zimao.reference.loader import _pick, _upsert

    sectors = {}
    for row in dataset["opening_sectors.csv"]:
        values = _pick(row, "name_zh", "name_en", "division_from", "division_to", "source")
        sectors[row["code"]] = _upsert(Sector, report, {"code": row["code"]}, values)
    editions = {}
    for row in dataset["opening_editions.csv"]:
        columns = ("family", "scope", "year", "title", "effective_date", "superseded_date")
        values = _pick(row, *columns, "measures", "status", "explanation", "source")
        values |= _pick(row, "confidence", "note")
        editions[row["code"]] = _upsert(Edition, report, {"code": row["code"]}, values)
    kept: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for row in dataset["opening_measures.csv"]:
        edition = editions[row["edition"]]
        fields: dict[str, Any] = _pick(
            row, "seq", "text", "kind", "restrictions", "foreign_cap", "keywords", "confirmed"
        )
        fields |= _pick(row, "source", "page", "note", "confidence")
        fields["sector"] = sectors[row["sector"]]
        lookup = {"edition": edition, "topic": row["topic"], "part": row["part"]}
        _upsert(Measure, report, lookup, fields)
        kept[edition.pk].add((row["topic"], row["part"]))
    for edition in editions.values():
        for measure in Measure.objects.filter(edition=edition):
            if (measure.topic, measure.part) not in kept[edition.pk]:
                measure.delete()
