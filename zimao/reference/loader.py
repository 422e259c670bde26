"""Validate and load the national reference dataset (zimao/data/*.csv).

Everything is checked before anything is written: a broken file is reported by file and line
and the database is left as it was.
"""

import csv
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from zimao.audit.writes import changed_in_bulk
from zimao.indicators.index import ensure_default_index
from zimao.indicators.models import Indicator, NegativeList, Observation
from zimao.indicators.periods import is_canonical
from zimao.lib.models import PARTIAL_DATE
from zimao.reference.models import ReferenceLoad
from zimao.reforms.rubric import ensure_default_rubric
from zimao.replication.models import BatchCount, ReplicationBatch, ReplicationItem
from zimao.search.neighbours import batched
from zimao.vocab.models import Domain
from zimao.zones.models import Area, PilotArea, Plan, Zone

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 0 when the problem concerns the whole file
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )


class ReferenceDataError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the reference data")


def text(value: str) -> str:
    return value.strip()


def integer(value: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"not an integer: {value!r}") from None


EDITORIAL = "编辑整理"


def editorial(value: str) -> str:
    """The source of editorial rows: it must say they are editorial, not official text."""
    value = value.strip()
    if value and EDITORIAL not in value:
        raise ValueError(f"must say the row is editorial ({EDITORIAL}): {value!r}")
    return value


def decimal(value: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def positive(value: str) -> int:
    """A count of at least 1; empty means 1."""
    number = integer(value)
    if number is None:
        return 1
    if number < 1:
        raise ValueError(f"must be at least 1: {value!r}")
    return number


def period(value: str) -> str:
    value = value.strip()
    if not is_canonical(value):
        raise ValueError(
            f"not a period (YYYY, YYYY-H1, YYYY-Q1, YYYY-MM, YYYY-01..08, YYYY..YYYY, "
            f"YYYY-MM-DD): {value!r}"
        )
    return value


def choices_of(*allowed: str) -> Parser:
    """A ;-separated list of allowed words (may be empty)."""

    def parse(value: str) -> str:
        words = [w.strip() for w in value.split(";") if w.strip()]
        unknown = [w for w in words if w not in allowed]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} not one of {', '.join(allowed)}")
        return ";".join(words)

    return parse


def flag(value: str) -> bool:
    if value.strip() not in {"0", "1", ""}:
        raise ValueError(f"expected 0 or 1, got {value!r}")
    return value.strip() == "1"


def partial_date(value: str) -> str:
    value = value.strip()
    if value and not PARTIAL_DATE.match(value):
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    return value


def choice(*allowed: str) -> Parser:
    def parse(value: str) -> str:
        if value.strip() not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value.strip()

    return parse


SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def slug(value: str) -> str:
    if not SLUG.match(value.strip()):
        raise ValueError(f"not a lower-case code: {value!r}")
    return value.strip()


CONFIDENCE = choice("V", "D")


@dataclass(frozen=True)
class Table:
    """The contract of one CSV file: its columns, which are required, its key and references."""

    file: str
    columns: dict[str, Parser]
    required: tuple[str, ...]
    key: tuple[str, ...]
    refs: dict[str, str] = field(default_factory=dict)  # column -> referenced file (by its key)


TABLES: tuple[Table, ...] = (
    Table(
        "domains.csv",
        {"code": slug, "name_zh": text, "name_en": text, "source": text},
        ("code", "name_zh", "source"),
        ("code",),
    ),
    Table(
        "zones.csv",
        {
            "code": slug,
            "name_zh": text,
            "short_name_zh": text,
            "name_en": text,
            "province": text,
            "batch": integer,
            "approval_date": partial_date,
            "inauguration_date": partial_date,
            "planned_area_km2": decimal,
            "plan_doc_no": text,
            "positioning": text,
            "key_industries": text,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("code", "name_zh", "short_name_zh", "province", "batch", "source"),
        ("code",),
    ),
    Table(
        "areas.csv",
        {
            "zone": text,
            "name_zh": text,
            "name_en": text,
            "city": text,
            "area_km2": decimal,
            "is_special": flag,
            "official_count": positive,
            "official_group": text,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("zone", "name_zh", "source"),
        ("zone", "name_zh"),
        {"zone": "zones.csv"},
    ),
    Table(
        "pilot_areas.csv",
        {
            "zone": text,
            "name_zh": text,
            "city": text,
            "kind": choice(*PilotArea.Kind.values),
            "established": partial_date,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("zone", "name_zh", "kind", "source"),
        ("zone", "name_zh"),
        {"zone": "zones.csv"},
    ),
    Table(
        "plans.csv",
        {
            "zone": text,
            "kind": choice(*Plan.Kind.values),
            "title": text,
            "doc_no": text,
            "issue_date": partial_date,
            "published_date": partial_date,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("zone", "kind", "title", "source"),
        ("zone", "title"),
        {"zone": "zones.csv"},
    ),
    Table(
        "replication_batches.csv",
        {
            "code": slug,
            "kind": choice(*ReplicationBatch.Kind.values),
            "number": integer,
            "year": integer,
            "issue_date": partial_date,
            "doc_no": text,
            "issuer": text,
            "title": text,
            "item_count": integer,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("code", "kind", "source"),
        ("code",),
    ),
    Table(
        "batch_counts.csv",
        {
            "batch": text,
            "item_count": integer,
            "preferred": flag,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("batch", "item_count", "source"),
        ("batch", "source"),
        {"batch": "replication_batches.csv"},
    ),
    Table(
        "replication_items.csv",
        {
            "code": slug,
            "batch": text,
            "seq": integer,
            "title": text,
            "category_zh": text,
            "domain": text,
            "responsible_unit": text,
            "scope_kind": choice(*ReplicationItem.ScopeKind.values),
            "scope": text,
            "source": text,
            "note": text,
        },
        ("code", "batch", "seq", "title", "scope_kind", "source"),
        ("code",),
        {"batch": "replication_batches.csv", "domain": "domains.csv"},
    ),
    Table(
        "replication_item_terms.csv",
        {"code": slug, "description": text, "terms": text, "source": editorial},
        ("code", "terms", "source"),
        ("code",),
        {"code": "replication_items.csv"},
    ),
    Table(
        "negative_lists.csv",
        {
            "code": slug,
            "scope": choice(*NegativeList.Scope.values),
            "year": integer,
            "issuer": text,
            "doc_no": text,
            "issue_date": partial_date,
            "effective_date": partial_date,
            "measures": integer,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("code", "scope", "year", "source"),
        ("code",),
    ),
    Table(
        "opening_sectors.csv",
        {
            "code": text,
            "name_zh": text,
            "name_en": text,
            "division_from": integer,
            "division_to": integer,
            "source": text,
        },
        ("code", "name_zh", "division_from", "division_to", "source"),
        ("code",),
    ),
    Table(
        "opening_editions.csv",
        {
            "code": slug,
            "family": choice("foreign_investment", "cross_border_services", "market_access"),
            "scope": choice("ftz", "national", "hainan_ftp"),
            "year": integer,
            "title": text,
            "effective_date": partial_date,
            "superseded_date": partial_date,
            "measures": integer,
            "negative_list": text,
            "status": choice("complete", "partial", "not_loaded"),
            "explanation": text,
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("code", "family", "scope", "year", "title", "status", "source"),
        ("code",),
        {"negative_list": "negative_lists.csv"},
    ),
    Table(
        "opening_measures.csv",
        {
            "edition": text,
            "seq": integer,
            "part": text,
            "topic": slug,
            "sector": text,
            "text": text,
            "kind": choice("prohibited", "restricted"),
            "restrictions": choices_of(
                "equity_cap", "chinese_control", "nationality", "approval", "other"
            ),
            "foreign_cap": decimal,
            "keywords": text,
            "confirmed": flag,
            "source": text,
            "page": text,
            "note": text,
            "confidence": CONFIDENCE,
        },
        ("edition", "topic", "sector", "text", "kind", "source", "confidence"),
        ("edition", "topic", "part"),
        {"edition": "opening_editions.csv", "sector": "opening_sectors.csv"},
    ),
    Table(
        "indicators.csv",
        {
            "code": slug,
            "name_zh": text,
            "name_en": text,
            "unit": text,
            "definition": text,
            "source": text,
            "direction": choice("higher", "lower", "neutral"),
        },
        ("code", "name_zh", "source", "direction"),
        ("code",),
    ),
    Table(
        "observations.csv",
        {
            "indicator": text,
            "subject_kind": choice(*Observation.SubjectKind.values),
            "subject": text,
            "period": period,
            "value": decimal,
            "unit": text,
            "zones_count": integer,
            "preferred": flag,
            "preferred_reason": text,
            "flags": choices_of("estimated", "more_than", "nearly", "redacted", "cumulative"),
            "source": text,
            "confidence": CONFIDENCE,
            "note": text,
        },
        ("indicator", "subject_kind", "period", "value", "source"),
        ("indicator", "subject_kind", "subject", "period", "source"),
        {"indicator": "indicators.csv"},
    ),
)


def _more_tables() -> tuple[Table, ...]:
    from zimao.alignment.reference import tables

    return tables()


TABLES += _more_tables()


@dataclass
class Row:
    line: int
    values: dict[str, Any]

    def __getitem__(self, column: str) -> Any:
        return self.values[column]


Dataset = dict[str, list[Row]]


def dataset_digest(directory: Path = DATA_DIR) -> str:
    digest = hashlib.sha256()
    for table in TABLES:
        path = directory / table.file
        digest.update(table.file.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def _read_table(directory: Path, table: Table, problems: list[Problem]) -> list[Row]:
    path = directory / table.file
    if not path.exists():
        problems.append(Problem(table.file, 0, "file is missing"))
        return []
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(table.file, 0, f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
        )
        return []
    reader = csv.DictReader(content.splitlines(keepends=True), strict=True)
    header = reader.fieldnames or []
    missing = [c for c in table.columns if c not in header]
    unknown = [c for c in header if c not in table.columns]
    if missing or unknown:
        detail = "; ".join(
            part
            for part in (
                f"missing columns: {', '.join(missing)}" if missing else "",
                f"unknown columns: {', '.join(unknown)}" if unknown else "",
            )
            if part
        )
        problems.append(Problem(table.file, 1, detail))
        return []
    rows: list[Row] = []
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw or any(v is None for v in raw.values()):
                problems.append(Problem(table.file, line, "wrong number of fields"))
                continue
            rows.append(_parse_row(table, line, raw, problems))
    except csv.Error as exc:
        problems.append(Problem(table.file, reader.line_num, f"malformed CSV: {exc}"))
    return rows


def _parse_row(table: Table, line: int, raw: dict[str, str], problems: list[Problem]) -> Row:
    values: dict[str, Any] = {}
    for column, parse in table.columns.items():
        cell = raw[column]
        if column in table.required and not cell.strip():
            problems.append(Problem(table.file, line, f"{column} is required"))
            values[column] = None
            continue
        try:
            values[column] = parse(cell)
        except ValueError as exc:
            problems.append(Problem(table.file, line, f"{column}: {exc}"))
            values[column] = None
    return Row(line, values)


def _check_keys(table: Table, rows: list[Row], problems: list[Problem]) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = tuple(row.values.get(c) for c in table.key)
        if key in seen:
            problems.append(
                Problem(table.file, row.line, f"duplicate key {key} (first on line {seen[key]})")
            )
        else:
            seen[key] = row.line


def _keys_of(dataset: Dataset, file: str) -> set[Any]:
    table = next(t for t in TABLES if t.file == file)
    return {row.values.get(table.key[0]) for row in dataset.get(file, [])}


def _check_refs(dataset: Dataset, problems: list[Problem]) -> None:
    for table in TABLES:
        for column, target in table.refs.items():
            keys = _keys_of(dataset, target)
            for row in dataset[table.file]:
                value = row.values.get(column)
                if value and value not in keys:
                    problems.append(
                        Problem(table.file, row.line, f"{column} {value!r} not found in {target}")
                    )
    _check_subjects(dataset, problems)


def _check_subjects(dataset: Dataset, problems: list[Problem]) -> None:
    """Each observation's subject exists as the kind says: a zone code, an area or pilot-area
    name, a province hosting a zone, or nothing for the nation and all FTZs together."""
    zones = _keys_of(dataset, "zones.csv")
    known: dict[str, set[Any]] = {
        "zone": zones,
        "pilot_areas": zones,
        "area": {row.values.get("name_zh") for row in dataset["areas.csv"]},
        "pilot_area": {row.values.get("name_zh") for row in dataset["pilot_areas.csv"]},
        "province": {row.values.get("province") for row in dataset["zones.csv"]},
        "city": {row.values.get("city") for row in dataset["areas.csv"]},
        "nation": {""},
        "ftz_all": {""},
    }
    for row in dataset["observations.csv"]:
        kind, subject = row.values.get("subject_kind"), row.values.get("subject")
        if kind in known and subject not in known[kind]:
            problems.append(
                Problem("observations.csv", row.line, f"subject {subject!r} is not a {kind}")
            )


def _check_preferred(dataset: Dataset, problems: list[Problem]) -> None:
    """At most one preferred value per indicator, subject and period; a value that is not
    preferred says why."""
    preferred: dict[tuple[Any, ...], int] = {}
    for row in dataset["observations.csv"]:
        group = tuple(row.values.get(c) for c in ("indicator", "subject_kind", "subject", "period"))
        if not row.values.get("preferred"):
            if not row.values.get("preferred_reason"):
                problems.append(
                    Problem(
                        "observations.csv",
                        row.line,
                        "preferred_reason is required when preferred is 0",
                    )
                )
            continue
        if group in preferred:
            problems.append(
                Problem(
                    "observations.csv",
                    row.line,
                    f"second preferred value for {group} (first on line {preferred[group]})",
                )
            )
        preferred.setdefault(group, row.line)


def _check_area_sums(dataset: Dataset, problems: list[Problem]) -> None:
    """Where every area of a zone has a size, the sizes add up to the zone's planned area."""
    areas: dict[Any, list[Row]] = {}
    for row in dataset["areas.csv"]:
        areas.setdefault(row.values.get("zone"), []).append(row)
    for zone in dataset["zones.csv"]:
        rows = areas.get(zone.values.get("code"), [])
        planned = zone.values.get("planned_area_km2")
        sizes = [r.values.get("area_km2") for r in rows]
        if not rows or planned is None or any(s is None for s in sizes):
            continue
        total = sum((s for s in sizes if s is not None), Decimal(0))
        if abs(total - planned) > Decimal("0.005"):
            problems.append(
                Problem(
                    "zones.csv",
                    zone.line,
                    f"planned_area_km2 {planned} differs from the sum of its areas {total}",
                )
            )


def _check_batch_counts(dataset: Dataset, problems: list[Problem]) -> None:
    batches = {row.values.get("code"): row for row in dataset["replication_batches.csv"]}
    preferred: dict[str, Row] = {}
    for row in dataset["batch_counts.csv"]:
        if not row.values.get("preferred"):
            continue
        code = str(row.values.get("batch"))
        if code in preferred:
            problems.append(
                Problem("batch_counts.csv", row.line, f"second preferred count for {code}")
            )
            continue
        preferred[code] = row
        batch = batches.get(code)
        if batch and batch.values.get("item_count") not in (None, row.values.get("item_count")):
            problems.append(
                Problem(
                    "batch_counts.csv",
                    row.line,
                    f"preferred count {row['item_count']} differs from item_count "
                    f"{batch['item_count']} in replication_batches.csv line {batch.line}",
                )
            )


def read_dataset(directory: Path = DATA_DIR) -> Dataset:
    """Parse and cross-check every file; raise ReferenceDataError listing all problems."""
    problems: list[Problem] = []
    dataset: Dataset = {}
    for table in TABLES:
        rows = _read_table(directory, table, problems)
        _check_keys(table, rows, problems)
        dataset[table.file] = rows
    if not problems:
        _check_refs(dataset, problems)
        _check_batch_counts(dataset, problems)
        _check_preferred(dataset, problems)
        _check_area_sums(dataset, problems)
        from zimao.opening.reference import check_opening

        check_opening(dataset, problems)
        from zimao.alignment.reference import check_alignment

        check_alignment(dataset, problems)
    if problems:
        raise ReferenceDataError(problems)
    return dataset


# --- writing -------------------------------------------------------------------------------


@dataclass
class LoadReport:
    counts: dict[str, int]
    created: int = 0
    updated: int = 0
    skipped: bool = False


def _pick(row: Row, *columns: str) -> dict[str, Any]:
    return {c: row.values[c] for c in columns}


SOURCED = ("source", "confidence", "note")


def _upsert(model: Any, report: LoadReport, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    obj, created = model.objects.update_or_create(**lookup, defaults=values)
    if created:
        report.created += 1
    else:
        report.updated += 1
    return obj


def _write(dataset: Dataset, report: LoadReport) -> None:
    for row in dataset["domains.csv"]:
        _upsert(Domain, report, {"code": row["code"]}, _pick(row, "name_zh", "name_en", "source"))
    zones = {}
    for row in dataset["zones.csv"]:
        values = _pick(
            row,
            "name_zh",
            "short_name_zh",
            "name_en",
            "province",
            "batch",
            "approval_date",
            "inauguration_date",
            "planned_area_km2",
            "plan_doc_no",
            "positioning",
            "key_industries",
            *SOURCED,
        )
        zones[row["code"]] = _upsert(Zone, report, {"code": row["code"]}, values)
    areas = {}
    for row in dataset["areas.csv"]:
        values = _pick(
            row,
            "name_en",
            "city",
            "area_km2",
            "is_special",
            "official_count",
            "official_group",
            *SOURCED,
        )
        lookup = {"zone": zones[row["zone"]], "name_zh": row["name_zh"]}
        areas[row["name_zh"]] = _upsert(Area, report, lookup, values)
    for row in dataset["pilot_areas.csv"]:
        values = _pick(row, "city", "kind", "established", *SOURCED)
        _upsert(PilotArea, report, {"zone": zones[row["zone"]], "name_zh": row["name_zh"]}, values)
    for row in dataset["plans.csv"]:
        values = _pick(row, "kind", "doc_no", "issue_date", "published_date", *SOURCED)
        _upsert(Plan, report, {"zone": zones[row["zone"]], "title": row["title"]}, values)
    batches = {}
    for row in dataset["replication_batches.csv"]:
        values = _pick(
            row,
            "kind",
            "number",
            "year",
            "issue_date",
            "doc_no",
            "issuer",
            "title",
            "item_count",
            *SOURCED,
        )
        batches[row["code"]] = _upsert(ReplicationBatch, report, {"code": row["code"]}, values)
    for row in dataset["batch_counts.csv"]:
        values = _pick(row, "item_count", "preferred", "confidence", "note")
        lookup = {"batch": batches[row["batch"]], "source": row["source"]}
        _upsert(BatchCount, report, lookup, values)
    domains = {d.code: d for d in Domain.objects.all()}
    for row in dataset["replication_items.csv"]:
        values = _pick(
            row,
            "seq",
            "title",
            "category_zh",
            "responsible_unit",
            "scope_kind",
            "scope",
            "source",
            "note",
        )
        values["batch"] = batches[row["batch"]]
        values["domain"] = domains.get(row["domain"])
        _upsert(ReplicationItem, report, {"code": row["code"]}, values)
    edited = set(ReplicationItem.objects.filter(terms_edited=True).values_list("code", flat=True))
    for row in dataset["replication_item_terms.csv"]:  # editorial, kept apart from the facts
        if row["code"] in edited:  # the national office's own wording wins over the file
            continue
        values = {
            "description": row.values["description"],
            "everyday_terms": row.values["terms"],
            "terms_source": row.values["source"],
        }
        _upsert(ReplicationItem, report, {"code": row["code"]}, values)
    for row in dataset["negative_lists.csv"]:
        values = _pick(
            row,
            "scope",
            "year",
            "issuer",
            "doc_no",
            "issue_date",
            "effective_date",
            "measures",
            *SOURCED,
        )
        _upsert(NegativeList, report, {"code": row["code"]}, values)
    from zimao.opening.reference import write_opening

    write_opening(dataset, report)
    from zimao.alignment.reference import write_alignment

    write_alignment(dataset, report)
    indicators = {}
    for row in dataset["indicators.csv"]:
        values = _pick(row, "name_zh", "name_en", "unit", "definition", "source", "direction")
        indicators[row["code"]] = _upsert(Indicator, report, {"code": row["code"]}, values)
    for row in dataset["observations.csv"]:
        values = _pick(
            row,
            "value",
            "unit",
            "zones_count",
            "preferred",
            "preferred_reason",
            "flags",
            "confidence",
            "note",
        )
        values["zone"], values["area"] = _subject_records(row, zones, areas)
        values["province"] = (
            values["zone"].province if values["zone"] is not None
            else row["subject"] if row["subject_kind"] == "province"
            else ""
        )  # fmt: skip
        lookup = {
            "indicator": indicators[row["indicator"]],
            "subject_kind": row["subject_kind"],
            "subject": row["subject"],
            "period": row["period"],
            "source": row["source"],
        }
        _upsert(Observation, report, lookup, values)


def _subject_records(row: Row, zones: dict[str, Zone], areas: dict[str, Area]) -> tuple[Any, Any]:
    """The zone and area an observation is about, for filtering by scope."""
    kind, subject = row["subject_kind"], row["subject"]
    if kind in ("zone", "pilot_areas"):
        return zones.get(subject), None
    if kind == "area" and subject in areas:
        return areas[subject].zone, areas[subject]
    if kind == "pilot_area":
        pilot = PilotArea.objects.filter(name_zh=subject).select_related("zone").first()
        return (pilot.zone if pilot else None), None
    return None, None


def load_reference(directory: Path = DATA_DIR, *, force: bool = False) -> LoadReport:
    """Validate the dataset, then upsert it in one transaction (no duplicates on reruns)."""
    digest = dataset_digest(directory)
    dataset = read_dataset(directory)
    ensure_default_rubric()  # configuration every installation starts with
    ensure_default_index()
    report = LoadReport(counts={name: len(rows) for name, rows in dataset.items()})
    last = ReferenceLoad.objects.first()
    if last and last.digest == digest and not force:
        report.skipped = True
        return report
    with transaction.atomic():
        _write(dataset, report)
        ReferenceLoad.objects.create(digest=digest, counts=report.counts)
    # Like every write: the search index and the page cache follow once the load committed;
    # the items' similar records are scored here, at the end, not left to a worker.
    codes = [row["code"] for row in dataset["replication_items.csv"]]
    with batched():
        changed_in_bulk(ReplicationItem.objects.filter(code__in=codes).order_by("pk"))
    return report


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in problems)
