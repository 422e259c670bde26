"""Write the public datasets as CSV, JSON and Parquet with a Frictionless datapackage.json."""

import csv
import json
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.db import models

from zimao.lib.exports import safe_cell
from zimao.opendata.datasets import DATASETS, PARTIAL_DATE_PATTERN, Column, Dataset, is_partial_date

FORMATS = ("csv", "json", "parquet")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "parquet": "application/parquet"}
PACKAGE_NAME = "zimao-open-data"


def csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if column.type == "string":
        return str(safe_cell(str(value)))
    return str(value)


def json_value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def write_csv(path: Path, dataset: Dataset, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in dataset.columns])
        for row in rows:
            writer.writerow([csv_cell(c, row[c.name]) for c in dataset.columns])


def write_json(path: Path, dataset: Dataset, rows: list[dict[str, Any]]) -> None:
    data = [{k: json_value(v) for k, v in row.items()} for row in rows]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def arrow_type(column: Column) -> Any:
    import pyarrow as pa

    field = column.value_field
    if column.type == "boolean":
        return pa.bool_()
    if column.type == "integer":
        return pa.int64()
    if isinstance(field, models.DecimalField):
        return pa.decimal128(field.max_digits, field.decimal_places)
    if column.type == "number":
        return pa.float64()
    return pa.string()


def write_parquet(path: Path, dataset: Dataset, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c.name, arrow_type(c)) for c in dataset.columns])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path)


WRITERS = {"csv": write_csv, "json": write_json, "parquet": write_parquet}


def bilingual(zh: str, en: str) -> str:
    return f"{zh} / {en}" if en and en != zh else zh


def field_descriptor(column: Column) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "title": bilingual(column.title("zh-hans"), column.title("en")),
    }
    if column.name == "id":
        descriptor["title"] = "编号 / ID"
    notes_zh, notes_en = [], []
    constraints: dict[str, Any] = {}
    choices = getattr(column.value_field, "choices", None)
    if choices and not column.many:
        constraints["enum"] = [value for value, _ in choices]
        notes_zh.append("取值：" + "，".join(f"{v}（{label}）" for v, label in choices))
        notes_en.append("values: " + ", ".join(str(v) for v, _ in choices))
    if is_partial_date(column):
        constraints["pattern"] = PARTIAL_DATE_PATTERN
        notes_zh.append("ISO 日期，可只精确到年或月")
        notes_en.append("ISO date, possibly only a year or a month")
    if column.reference:
        dataset, key = column.reference
        notes_zh.append(f"对应 {dataset}.{key}" + ("，多个以分号分隔" if column.many else ""))
        notes_en.append(
            f"refers to {dataset}.{key}" + ("; several separated by ;" if column.many else "")
        )
    if column.name == "confidence":
        notes_zh.append("V＝公开来源核实，D＝由核实数据推算")
        notes_en.append("V = seen in a public source, D = derived from such facts")
    if notes_zh:
        descriptor["description"] = bilingual("；".join(notes_zh), "; ".join(notes_en))
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def resource_descriptor(dataset: Dataset, formats: list[str], rows: int) -> dict[str, Any]:
    primary, *others = formats
    schema: dict[str, Any] = {
        "fields": [field_descriptor(c) for c in dataset.columns],
        "primaryKey": [dataset.key],
    }
    foreign = [
        {"fields": [c.name], "reference": {"resource": c.reference[0], "fields": [c.reference[1]]}}
        for c in dataset.columns
        if c.reference and not c.many
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    key_field = next(f for f in schema["fields"] if f["name"] == dataset.key)
    key_field.setdefault("constraints", {}).update({"required": True, "unique": True})
    resource: dict[str, Any] = {
        "name": dataset.name,
        "path": f"{primary}/{dataset.name}.{primary}",
        "profile": "tabular-data-resource",
        "title": bilingual(dataset.title("zh-hans"), dataset.title("en")),
        "description": bilingual(dataset.description_zh, dataset.description_en),
        "format": primary,
        "mediatype": MEDIA_TYPES[primary],
        "encoding": "utf-8",
        "schema": schema,
        "zimao:rows": rows,
    }
    if others:
        resource["zimao:alternates"] = [
            {"path": f"{f}/{dataset.name}.{f}", "format": f, "mediatype": MEDIA_TYPES[f]}
            for f in others
        ]
    if any(c.name == "source" for c in dataset.columns):
        sources = sorted(set(dataset.queryset().values_list("source", flat=True)) - {""})
        resource["sources"] = [{"title": s} for s in sources]
    return resource


def package_version() -> str:
    try:
        return version("zimao")
    except PackageNotFoundError:  # pragma: no cover (run from a source tree)
        return "0"


def export_open_data(directory: Path, formats: list[str] | None = None) -> dict[str, Any]:
    """Write every public dataset in FORMATS under DIRECTORY and describe them; return the
    descriptor. The first format is the resource's path; the others are listed as alternates."""
    formats = list(formats or FORMATS)
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats are {', '.join(FORMATS)}; not {', '.join(sorted(unknown))}")
    for fmt in formats:
        (directory / fmt).mkdir(parents=True, exist_ok=True)
    resources = []
    for dataset in DATASETS:
        rows = list(dataset.rows())
        for fmt in formats:
            WRITERS[fmt](directory / fmt / f"{dataset.name}.{fmt}", dataset, rows)
        resources.append(resource_descriptor(dataset, formats, len(rows)))
    descriptor = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "中国自由贸易试验区开放数据 / China Pilot Free Trade Zones open data",
        "description": (
            "自贸试验区、片区、方案、复制推广批次与事项、落地情况、已公开的制度创新成果及成效、"
            "指标观测值和负面清单。每行的 source 列注明其公开来源。 / Zones, areas, plans, "
            "replication batches and items, adoptions, published innovations and their "
            "effects, indicator values and negative lists. Each row's source column names "
            "its public source."
        ),
        "version": package_version(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": [
            {
                "title": "Zimao 参考数据集与各自贸试验区报送的公开记录 / Zimao reference dataset "
                "and the records zone offices published",
            }
        ],
        "resources": resources,
    }
    (directory / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return descriptor


def zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
