"""The alignment tables of the reference dataset: their contract, cross-checks and the write.

A batch marked `complete` holds exactly its published number of measures, `partial` fewer,
`listed` none but its published count; every zone a measure names holds the batch's plan
(plans.csv).
"""

from collections import Counter
from typing import TYPE_CHECKING, Any

from zimao.zones.models import Zone

from .models import AlignmentMeasure, Batch

if TYPE_CHECKING:
    from zimao.reference.loader import Dataset, LoadReport, Problem, Table

FIELDS = tuple(AlignmentMeasure.Field.values)


def tables() -> "tuple[Table, ...]":
    from zimao.reference.loader import (
        CONFIDENCE,
        Table,
        choice,
        flag,
        integer,
        partial_date,
        slug,
        text,
    )

    return (
        Table(
            "alignment_batches.csv",
            {
                "code": slug, "title": text, "doc_no": text, "issue_date": partial_date,
                "published_date": partial_date, "measures": integer, "total_confirmed": flag,
                "status": choice(*Batch.Status.values), "rules": text, "plan_title": text,
                "source": text, "confidence": CONFIDENCE, "note": text,
            },
            ("code", "title", "status", "plan_title", "source"),
            ("code",),
        ),
        Table(
            "alignment_measures.csv",
            {
                "batch": text, "code": slug, "number": integer, "field": choice(*FIELDS),
                "title": text, "provisions": text, "zones": text, "zones_confirmed": flag,
                "confirmed": flag, "source": text, "confidence": CONFIDENCE, "note": text,
            },
            ("batch", "code", "field", "title", "zones", "source"),
            ("batch", "code"),
            {"batch": "alignment_batches.csv"},
        ),
    )  # fmt: skip


def zone_codes(row: Any) -> list[str]:
    return [z.strip() for z in (row["zones"] or "").split(";") if z.strip()]


def check_alignment(dataset: "Dataset", problems: "list[Problem]") -> None:
    from zimao.reference.loader import Problem

    counts = Counter(row["batch"] for row in dataset["alignment_measures.csv"])
    zones = {row["code"] for row in dataset["zones.csv"]}
    plans = {(row["zone"], row["title"]) for row in dataset["plans.csv"]}
    batches = {}
    for row in dataset["alignment_batches.csv"]:
        batches[row["code"]] = row
        loaded, total = counts.get(row["code"], 0), row["measures"]
        status = row["status"]
        wrong = (
            (status == "complete" and loaded != total)
            or (status == "partial" and not (loaded > 0 and (total is None or loaded < total)))
            or (status == "listed" and (loaded > 0 or total is None))
        )
        if wrong:
            message = f"status {status} but {loaded} measure(s) loaded of {total}"
            problems.append(Problem("alignment_batches.csv", row.line, message))
    for row in dataset["alignment_measures.csv"]:
        batch = batches.get(row["batch"])
        for code in zone_codes(row):
            if code not in zones:
                problems.append(
                    Problem("alignment_measures.csv", row.line, f"zone {code!r} not in zones.csv")
                )
            elif batch is not None and (code, batch["plan_title"]) not in plans:
                message = f"zone {code!r} has no plan titled {batch['plan_title']!r} in plans.csv"
                problems.append(Problem("alignment_measures.csv", row.line, message))


def write_alignment(dataset: "Dataset", report: "LoadReport") -> None:
    from zimao.reference.loader import _pick, _upsert

    batches = {}
    for row in dataset["alignment_batches.csv"]:
        columns = ("title", "doc_no", "issue_date", "published_date", "measures")
        values = _pick(row, *columns, "total_confirmed", "status", "rules", "plan_title")
        values |= _pick(row, "source", "confidence", "note")
        batches[row["code"]] = _upsert(Batch, report, {"code": row["code"]}, values)
    zones = {z.code: z for z in Zone.objects.all()}
    kept: dict[int, set[str]] = {b.pk: set() for b in batches.values()}
    for position, row in enumerate(dataset["alignment_measures.csv"], start=1):
        batch = batches[row["batch"]]
        values = _pick(row, "number", "field", "title", "provisions", "zones_confirmed")
        values |= _pick(row, "confirmed", "source", "confidence", "note")
        values["position"] = position
        measure = _upsert(AlignmentMeasure, report, {"batch": batch, "code": row["code"]}, values)
        measure.zones.set([zones[c] for c in zone_codes(row)])
        kept[batch.pk].add(row["code"])
    for batch in batches.values():
        AlignmentMeasure.objects.filter(batch=batch).exclude(code__in=kept[batch.pk]).delete()
