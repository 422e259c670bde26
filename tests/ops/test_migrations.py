"""A backup from an earlier release restores into a fresh database and migrates to head."""

import json
import tarfile
from pathlib import Path

import pytest

from tests.ops.helpers import instance_env, zimao
from tests.ops.snapshot import archive_records

RELEASES = sorted((Path(__file__).parent / "fixtures").glob("release-*"))


# Models that moved to another app since a release: same table, new label.
RENAMED = {"reforms.domain": "vocab.domain"}


@pytest.mark.parametrize("release", RELEASES, ids=[p.name for p in RELEASES])
def test_a_release_dump_migrates_forward_in_a_fresh_database(release, scratch_database, tmp_path):
    env = instance_env(tmp_path / "var", database_url=scratch_database)
    # restore migrates the empty database to the dump's schema, loads, then migrates to head
    zimao("restore", str(release), "--unsigned", env=env)  # made before backups were signed
    assert zimao("migrate", "--check", env=env, check=False).returncode == 0
    zimao("backup", str(tmp_path / "after.tar.gz"), env=env)
    with tarfile.open(tmp_path / "after.tar.gz") as tar:
        tar.extractall(tmp_path / "after", filter="data")
    old = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    new = json.loads((tmp_path / "after" / "manifest.json").read_text(encoding="utf-8"))
    for label, count in old["counts"].items():
        label = RENAMED.get(label, label)
        assert new["counts"].get(label) == count, label
    assert new["files"] == old["files"]
    if new["migrations"] == old["migrations"]:  # same schema: the records are unchanged too
        assert archive_records(tmp_path / "after") == archive_records(release)


def test_every_release_fixture_is_present():
    assert RELEASES, "tests/ops/fixtures/release-*/ holds the dumps of earlier releases"
