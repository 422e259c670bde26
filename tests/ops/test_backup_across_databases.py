"""A backup made on SQLite restores on PostgreSQL, and back, with every record identical."""

import tarfile
from pathlib import Path

from tests.ops.helpers import instance_env, zimao
from tests.ops.snapshot import archive_records

RELEASE = Path(__file__).parent / "fixtures" / "release-0.1.0"


def unpacked(archive: Path) -> Path:
    folder = archive.with_suffix("").with_suffix("")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder


def test_sqlite_to_postgresql_and_back(postgres_database, tmp_path):
    sqlite_a = instance_env(tmp_path / "a", database_url=f"sqlite:///{tmp_path}/a.sqlite3")
    zimao("restore", str(RELEASE), "--unsigned", env=sqlite_a)  # records and a stored file
    zimao("load-reference", env=sqlite_a)  # plus the whole national dataset
    zimao("backup", str(tmp_path / "a.tar.gz"), env=sqlite_a)

    postgres = instance_env(tmp_path / "pg", database_url=postgres_database)
    zimao("restore", str(tmp_path / "a.tar.gz"), env=postgres)
    zimao("backup", str(tmp_path / "b.tar.gz"), env=postgres)

    sqlite_c = instance_env(tmp_path / "c", database_url=f"sqlite:///{tmp_path}/c.sqlite3")
    zimao("restore", str(tmp_path / "b.tar.gz"), env=sqlite_c)
    zimao("backup", str(tmp_path / "c.tar.gz"), env=sqlite_c)

    a, b, c = (unpacked(tmp_path / f"{x}.tar.gz") for x in "abc")
    assert archive_records(b) == archive_records(a)
    assert archive_records(c) == archive_records(a)
    assert len(archive_records(a)) > 400
    for folder in (b, c):
        for stored in (a / "files").rglob("*"):
            if stored.is_file():
                assert (folder / stored.relative_to(a)).read_bytes() == stored.read_bytes()
    search = zimao("search", "单一窗口", env=postgres).stdout
    assert "国际贸易单一窗口" in search  # the index was rebuilt on PostgreSQL
