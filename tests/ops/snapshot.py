"""Every backed-up record and stored file, in a form two databases can be compared in."""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.files.storage import default_storage

from zimao.ops.backup import backed_up_models, stored_files


def canonical(record: dict[str, Any]) -> tuple[tuple[str, str], dict[str, Any]]:
    fields = {
        k: sorted(v, key=json.dumps) if isinstance(v, list) else v
        for k, v in record["fields"].items()
    }
    return (record["model"], str(record["pk"])), fields


def database_records() -> dict[tuple[str, str], dict[str, Any]]:
    records = {}
    for model in backed_up_models():
        rows = serializers.serialize(
            "json", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        records.update(canonical(r) for r in json.loads(rows))
    return records


def stored_file_hashes() -> dict[str, str]:
    hashes = {}
    for name in stored_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def archive_records(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    lines = (folder / "data.jsonl").read_text(encoding="utf-8").splitlines()
    return dict(canonical(json.loads(line)) for line in lines if line.strip())
