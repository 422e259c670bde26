"""`zimao export`: public records as CSV, JSON and Parquet, described by datapackage.json."""

import csv
import io
import json
import os
import shutil
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.db import connection
from frictionless import validate

from tests.ops.helpers import instance_env, zimao
from tests.ops.sample import make_sample_records
from zimao.opendata import published
from zimao.opendata.datasets import DATASETS
from zimao.opendata.tasks import build_open_data
from zimao.reforms.models import Innovation

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://example.invalid","点击")'


@pytest.fixture
def records(media):
    sample = make_sample_records()
    tricky = sample["innovation"]
    tricky.title = FORMULA
    tricky.mechanism = '第一行，带"引号"\n第二行；-5%'
    tricky.save()
    Innovation.objects.create(title="内部草稿，未公开", zone=tricky.zone, published=False)
    return sample


@pytest.fixture
def exported(records, tmp_path):
    folder = tmp_path / "export"
    call_command("export", str(folder))
    return folder


def json_rows(folder, name):
    return json.loads((folder / "json" / f"{name}.json").read_text(encoding="utf-8"))


def test_every_dataset_is_written_in_three_formats(exported):
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    assert names == [d.name for d in DATASETS]
    for resource in descriptor["resources"]:
        name = resource["name"]
        rows = json_rows(exported, name)
        assert resource["zimao:rows"] == len(rows)
        with (exported / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            assert len(list(csv.DictReader(handle))) == len(rows)
        assert pq.read_table(exported / "parquet" / f"{name}.parquet").num_rows == len(rows)
    assert len(json_rows(exported, "zones")) == 22


def test_the_package_is_valid_frictionless_for_csv_and_for_json(records, exported, tmp_path):
    report = validate(exported / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    only_json = tmp_path / "json-only"
    call_command("export", str(only_json), "--format", "json")
    report = validate(only_json / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_every_field_is_described_in_chinese_and_english(exported):
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["sources"]
    zones = descriptor["resources"][0]
    assert zones["title"] == "自贸试验区 / Pilot Free Trade Zones"
    assert zones["zimao:alternates"] == [
        {"path": "json/zones.json", "format": "json", "mediatype": "application/json"},
        {"path": "parquet/zones.parquet", "format": "parquet", "mediatype": "application/parquet"},
    ]
    assert any("gov.cn" in s["title"] for s in zones["sources"])
    fields = {f["name"]: f for f in zones["schema"]["fields"]}
    assert fields["code"]["constraints"] == {"required": True, "unique": True}
    assert fields["approval_date"]["constraints"]["pattern"]
    for resource in descriptor["resources"]:
        assert " / " in resource["description"]
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"string", "integer", "number", "boolean"}
            zh, _, en = field["title"].partition(" / ")
            assert zh and en, (resource["name"], field)
    innovations = next(r for r in descriptor["resources"] if r["name"] == "innovations")
    state = next(f for f in innovations["schema"]["fields"] if f["name"] == "state")
    assert "selected（入选）" in state["description"]
    assert {"fields": ["zone"], "reference": {"resource": "zones", "fields": ["code"]}} in (
        innovations["schema"]["foreignKeys"]
    )


def test_only_published_innovations_and_their_effects_are_exported(records, exported):
    titles = [r["title"] for r in json_rows(exported, "innovations")]
    assert FORMULA in titles
    assert "内部草稿，未公开" not in titles
    published = {r["id"] for r in json_rows(exported, "innovations")}
    assert {r["innovation"] for r in json_rows(exported, "effects")} <= published
    assert not (exported / "csv" / "documents.csv").exists()


def test_csv_cells_cannot_run_as_formulas(exported):
    text = (exported / "csv" / "innovations.csv").read_text(encoding="utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["title"].endswith('点击")'))
    assert row["title"] == "'" + FORMULA
    effects = list(csv.DictReader((exported / "csv" / "effects.csv").open(encoding="utf-8")))
    assert effects[0]["change_pct"] == "-75.0"  # a number stays a number
    assert json_rows(exported, "innovations")[0]["title"] in {FORMULA, "国际贸易单一窗口"}


def test_parquet_keeps_types(exported):
    schema = pq.read_table(exported / "parquet" / "observations.parquet").schema
    assert str(schema.field("value").type) == "decimal128(20, 4)"
    assert str(schema.field("preferred").type) == "bool"
    assert str(schema.field("id").type) == "int64"


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory):
    """One migrated empty SQLite database, copied for each fresh instance."""
    folder = tmp_path_factory.mktemp("template")
    zimao("migrate", env=instance_env(folder, f"sqlite:///{folder}/empty.sqlite3"))
    return folder / "empty.sqlite3"


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_an_export_loads_into_a_fresh_instance_record_for_record(
    exported, migrated_template, tmp_path, fmt
):
    database = tmp_path / "fresh.sqlite3"
    shutil.copy(migrated_template, database)
    env = instance_env(tmp_path / "var", f"sqlite:///{database}")
    zimao("import-open-data", str(exported), "--format", fmt, env=env)
    zimao("export", str(tmp_path / "again"), "--format", "json", env=env)
    for dataset in DATASETS:
        before, after = (
            json_rows(exported, dataset.name),
            json_rows(tmp_path / "again", dataset.name),
        )
        assert after == before, dataset.name
    refused = zimao("import-open-data", str(exported), env=env, check=False)
    assert "already holds" in refused.stderr


def test_the_open_data_page_lists_datasets_and_serves_the_zip(client, records, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    page = client.get("/")
    assert 'href="/open-data/"' in page.content.decode()
    page = client.get("/open-data/").content.decode()
    assert "开放数据" in page and 'id="zip-building"' in page
    assert "自贸试验区" in page and "<code>zones</code>" in page
    assert "已公开的制度创新成果。" in page
    waiting = client.get("/open-data/zimao-open-data.zip")  # never built inside a request
    assert waiting.status_code == 202 and "正在生成" in waiting.content.decode()
    assert build_open_data.call()  # what the worker runs
    assert 'id="download-zip"' in client.get("/open-data/").content.decode()
    response = client.get("/open-data/zimao-open-data.zip")
    assert response["Content-Disposition"] == 'attachment; filename="zimao-open-data.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "datapackage.json" in archive.namelist()
    assert "parquet/innovations.parquet" in archive.namelist()
    innovations = json.loads(archive.read("json/innovations.json"))
    assert FORMULA in [r["title"] for r in innovations]


def test_the_open_data_page_is_translated(client, db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.cookies["django_language"] = "en"
    assert "The package is built by a background process" in client.get("/open-data/").text
    published.build()
    page = client.get("/open-data/").content.decode()
    assert "Download all datasets (ZIP)" in page
    assert "Published institutional innovations." in page


def test_the_zip_is_built_once_however_many_ask_at_once(records, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    barrier = threading.Barrier(4)

    def ask() -> bool:
        barrier.wait()
        try:
            return published.build()
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        built = list(pool.map(lambda _: ask(), range(4)))
    assert built.count(True) == 1
    assert published.is_fresh(published.zip_path())
    assert not published.build()  # fresh: nothing to do
    assert published.build(force=True)


def test_a_stale_zip_is_served_and_one_rebuild_queued(client, records, settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    settings.VAR_DIR = tmp_path
    assert published.build()
    old = time.time() - settings.OPEN_DATA_MAX_AGE - 60
    os.utime(published.zip_path(), (old, old))
    for _ in range(3):
        response = client.get("/open-data/zimao-open-data.zip")
        assert response.status_code == 200
        b"".join(response.streaming_content)
    queued = DBTaskResult.objects.filter(task_path=build_open_data.module_path)
    assert queued.count() == 1
