"""`zimao backup` / `zimao restore`: every record and stored file comes back identical."""

import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from tests.ops.sample import make_sample_records
from tests.ops.snapshot import database_records, stored_file_hashes
from zimao.documents.models import Document
from zimao.reforms.models import Innovation
from zimao.search.models import SearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(media):
    return make_sample_records()


def test_a_restore_brings_back_every_record_and_file(sample, tmp_path, media, capsys):
    records, files = database_records(), stored_file_hashes()
    assert len(files) == 1
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    assert "1 files" in capsys.readouterr().out

    # Change, add and delete things, then restore over them.
    Innovation.objects.update(title="改掉的标题")
    sample["document"].delete()
    for name in files:
        (media / name).write_bytes(b"damaged")
    call_command("restore", str(archive), "--force")

    assert database_records() == records
    assert stored_file_hashes() == files
    assert SearchEntry.objects.filter(kind="innovation", title="国际贸易单一窗口").exists()


def test_the_manifest_counts_rows_and_hashes_files(sample, tmp_path):
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == "zimao-backup"
    assert manifest["counts"]["documents.document"] == Document.objects.count()
    assert manifest["counts"]["zones.zone"] == 22
    assert "search.searchentry" not in manifest["counts"]  # rebuilt after a restore
    assert [f"files/{f['name']}" for f in manifest["files"]] == [
        n for n in names if n.startswith("files/")
    ]
    document = sample["document"]
    assert manifest["files"][0] == {
        "name": document.file.name,
        "size": document.file.size,
        "sha256": document.sha256,
    }


def test_a_database_with_records_is_refused_without_force(sample, tmp_path):
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="already holds records.*--force"):
        call_command("restore", str(archive))


def test_a_damaged_archive_changes_nothing(sample, tmp_path):
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    stored = next((unpacked / "files").rglob("*.txt"))
    stored.write_bytes(b"tampered")
    before = database_records()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(unpacked), "--force")
    assert database_records() == before


def test_an_archive_cannot_write_outside_its_folder(tmp_path, db):
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="../escaped")
    with pytest.raises(CommandError, match="unexpected entries"):
        call_command("restore", str(evil))
    assert not (tmp_path.parent / "escaped").exists()
