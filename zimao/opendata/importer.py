"""Load an open-data export into an empty instance (a mirror, or a test of the export)."""

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery

from zimao.indicators.models import Observation
from zimao.lib.exports import unsafe_cell
from zimao.opendata.datasets import DATASETS, LIST_SEPARATOR, Column, Dataset
from zimao.opendata.export import FORMATS, PACKAGE_NAME
from zimao.zones.models import Zone


class OpenDataError(Exception):
    """The folder is not an open-data export, or the database already holds these records."""


def read_descriptor(directory: Path) -> dict[str, Any]:
    try:
        descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OpenDataError(f"no readable datapackage.json in {directory}: {exc}") from exc
    if descriptor.get("name") != PACKAGE_NAME:
        raise OpenDataError(f"{directory} is not a Zimao open-data export")
    return dict(descriptor)


def resource_path(directory: Path, resource: dict[str, Any], fmt: str | None) -> tuple[Path, str]:
    choices = [{"path": resource["path"], "format": resource["format"]}]
    choices += resource.get("zimao:alternates", [])
    for choice in choices:
        if fmt in (None, choice["format"]):
            return directory / choice["path"], choice["format"]
    raise OpenDataError(f"{resource['name']} was not exported as {fmt}")


def csv_value(column: Column, text: str) -> Any:
    if text == "" and ((column.reference and not column.many) or column.field.null):
        return None
    if column.type == "string":
        return unsafe_cell(text)
    if column.type == "boolean":
        return text == "true"
    if column.type == "integer":
        return int(text)
    return column.value_field.to_python(text)


def read_rows(path: Path, fmt: str, dataset: Dataset) -> Iterator[dict[str, Any]]:
    if fmt == "json":
        yield from json.loads(path.read_text(encoding="utf-8"))
    elif fmt == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield {c.name: csv_value(c, row[c.name]) for c in dataset.columns}
    else:
        import pyarrow.parquet as pq

        yield from pq.read_table(path).to_pylist()


def _instance(dataset: Dataset, row: dict[str, Any], keys: dict[str, dict[Any, Any]]) -> Any:
    values: dict[str, Any] = {}
    for column in dataset.columns:
        value = row[column.name]
        if column.many:
            continue
        if column.reference:
            target = column.reference[0]
            values[column.field.attname] = None if value is None else keys[target][value]
        else:
            values[column.name] = column.field.to_python(value)
    if dataset.model._meta.model_name == "innovation":
        values["published"] = True  # only published innovations are exported
    return dataset.model(**values)


def _link_many(dataset: Dataset, rows: list[dict[str, Any]], keys: dict[str, Any]) -> None:
    for column in dataset.columns:
        if not (column.many and column.reference):
            continue
        through = column.field.remote_field.through
        source = f"{dataset.model._meta.model_name}_id"
        target = f"{column.field.related_model._meta.model_name}_id"
        links = [
            through(
                **{
                    source: keys[dataset.name][row[dataset.key]],
                    target: keys[column.reference[0]][code],
                }
            )
            for row in rows
            for code in (row[column.name] or "").split(LIST_SEPARATOR)
            if code
        ]
        through.objects.bulk_create(links)


def _fill_observation_province() -> None:
    """The province the access rules read is not an export column: derive it as the writes do
    (the zone's province, or a province subject's own name)."""
    province = Zone.objects.filter(pk=OuterRef("zone_id")).values("province")[:1]
    Observation.objects.filter(zone__isnull=False).update(province=Subquery(province))
    Observation.objects.filter(subject_kind="province").update(province=F("subject"))


def import_open_data(directory: Path, fmt: str | None = None) -> dict[str, int]:
    """Create every record of the export; refuse if the database already holds any of them."""
    if fmt is not None and fmt not in FORMATS:
        raise OpenDataError(f"formats are {', '.join(FORMATS)}")
    descriptor = read_descriptor(directory)
    resources = {r["name"]: r for r in descriptor["resources"]}
    present = [d.name for d in DATASETS if d.model._default_manager.exists()]
    if present:
        raise OpenDataError(f"the database already holds {', '.join(present)}; use an empty one")
    counts: dict[str, int] = {}
    keys: dict[str, dict[Any, Any]] = {}
    with transaction.atomic():
        for dataset in DATASETS:
            if dataset.name not in resources:
                raise OpenDataError(f"the export has no {dataset.name}")
            path, used = resource_path(directory, resources[dataset.name], fmt)
            rows = list(read_rows(path, used, dataset))
            created = dataset.model._default_manager.bulk_create(
                [_instance(dataset, row, keys) for row in rows]
            )
            keys[dataset.name] = {
                row[dataset.key]: obj.pk for row, obj in zip(rows, created, strict=True)
            }
            _link_many(dataset, rows, keys)
            counts[dataset.name] = len(created)
        _fill_observation_province()
        models_ = [d.model for d in DATASETS]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(sql)
    from zimao.search.services import reindex

    reindex()
    return counts
