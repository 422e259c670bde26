"""Backups are signed with a key kept outside them; a changed backup or a member name that
leaves its folder is refused before anything is written."""

import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.ops.sample import make_sample_records
from tests.ops.snapshot import database_records

pytestmark = pytest.mark.django_db

RELEASE = Path(__file__).parents[1] / "ops" / "fixtures" / "release-0.1.0"


@pytest.fixture
def unpacked(media, tmp_path) -> Path:
    make_sample_records()
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    folder = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        assert "manifest.sig" in tar.getnames()
        tar.extractall(folder, filter="data")
    return folder


def _rewrite_manifest(folder: Path, change) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_an_edited_data_file_with_a_recomputed_manifest_is_refused(unpacked):
    data = unpacked / "data.jsonl"
    original = data.read_text(encoding="utf-8")
    edited = original.replace('"is_superuser": false', '"is_superuser": true')
    assert edited != original  # somebody becomes a superuser
    data.write_text(edited, encoding="utf-8")
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    _rewrite_manifest(unpacked, lambda m: m["data"].update(sha256=digest))
    before = database_records()
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("restore", str(unpacked), "--force")
    assert database_records() == before


def test_a_signed_backup_restores(unpacked):
    before = database_records()
    call_command("restore", str(unpacked), "--force")
    assert database_records() == before


def test_a_manifest_name_leaving_the_folder_is_refused_before_anything_is_written(
    unpacked, tmp_path
):
    (unpacked / "manifest.sig").unlink()
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    digest = hashlib.sha256(b"x").hexdigest()
    entry = {"name": "../../outside.txt", "size": 1, "sha256": digest}
    _rewrite_manifest(unpacked, lambda m: m["files"].append(entry))
    before = database_records()
    with pytest.raises(CommandError, match="unsafe member names"):
        call_command("restore", str(unpacked), "--force", "--unsigned")
    assert database_records() == before


def test_an_unsigned_backup_needs_the_unsigned_option(db):
    with pytest.raises(CommandError, match="not signed"):
        call_command("restore", str(RELEASE))


def test_times_come_back_to_the_microsecond(media, tmp_path):
    from datetime import UTC, datetime

    from tests.factories import make_innovation
    from zimao.reforms.models import Innovation

    exact = datetime(2024, 5, 20, 8, 30, 15, 123456, tzinfo=UTC)
    innovation = make_innovation("精确时间的改革")
    Innovation.objects.filter(pk=innovation.pk).update(created_at=exact)
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    Innovation.objects.filter(pk=innovation.pk).update(created_at=datetime(2000, 1, 1, tzinfo=UTC))
    call_command("restore", str(archive), "--force")
    assert Innovation.objects.get(title="精确时间的改革").created_at == exact


def test_a_restore_stopped_after_the_records_is_marked_and_resumes_without_force(
    media, tmp_path, settings, client
):
    from django.core.files.storage import FileSystemStorage

    from zimao.ops.backup import backup_restore, restore_unfinished

    settings.VAR_DIR = tmp_path / "var"
    make_sample_records()
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    records = database_records()
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):  # the files cannot be written: stopped midway
        backup_restore(archive, force=True, storage=FileSystemStorage(blocker / "media"))
    assert restore_unfinished() is not None
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["restore"] == "unfinished"
    call_command("restore", str(archive))  # no --force needed to finish it
    assert restore_unfinished() is None
    assert database_records() == records
    assert client.get("/healthz").status_code == 200


def test_a_refused_restore_leaves_no_marker(media, tmp_path, settings):
    from zimao.ops.backup import restore_unfinished

    settings.VAR_DIR = tmp_path / "var"
    make_sample_records()
    archive = tmp_path / "zimao.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(archive))
    assert restore_unfinished() is None
