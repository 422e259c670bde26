"""A real `zimao restore` process killed with SIGKILL at several points; the next start (a web
process, `zimao serve`, or `zimao restore`) finishes it: records, files and search entries are
all those of the backup, never a mix.

The restore process stops itself (SIGSTOP) at the chosen point, through a wrapper around one
of its own steps; the test waits until it is stopped and kills it, so the point is exact
whatever the machine's load."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ops.helpers import ZIMAO, get, instance_env, running_server, zimao

ROOT = Path(__file__).resolve().parents[2]

POPULATE = """
import django
django.setup()
from zimao.accounts.access import SystemActor
from zimao.documents.analysis import analyse_bytes
from zimao.documents.services import document_store
from tests.ops.sample import make_sample_records
make_sample_records()
for n in range(1, 6):
    data = f"四川自贸试验区第{n}项改革：企业开办时间压缩到{n}天，通关时间缩短{n}0%。".encode()
    document_store(analysis=analyse_bytes(f"通报{n}.txt", data), data=data,
                   user=SystemActor("test"))
"""

CHANGE = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from zimao.accounts.models import User
from zimao.ops.backup import stored_files
User.objects.create_user("after-the-backup-{n}", password="x")
name = sorted(stored_files(default_storage))[0]  # a stored original, overwritten
default_storage.delete(name)
default_storage.save(name, ContentFile(b"changed after the backup {n}"))
"""

STATE = """
import hashlib, json
import django
django.setup()
from django.core.files.storage import default_storage
from zimao.ops.backup import backed_up_models, stored_files
from zimao.search.models import SearchEntry
records = {m._meta.label_lower: m._default_manager.count() for m in backed_up_models()}
files = {}
for name in stored_files(default_storage):
    with default_storage.open(name, "rb") as handle:
        files[name] = hashlib.sha256(handle.read()).hexdigest()
entries = sorted(SearchEntry.objects.values_list("kind", "object_id"))
print(json.dumps({"records": records, "files": files, "entries": entries}))
"""

# Run `zimao restore --force` with one step wrapped to stop the process at the point named.
KILLED_RESTORE = """
import os, signal, sys
import django
django.setup()
from zimao.ops import backup
from zimao.search import services

point, archive = sys.argv[1], sys.argv[2]

def stop():
    os.kill(os.getpid(), signal.SIGSTOP)

if point == "database":  # records loaded, transaction not yet committed
    counts = backup._counts
    def _counts(*args, **kwargs):
        stop()
        return counts(*args, **kwargs)
    backup._counts = _counts
elif point == "after-database":  # committed, no file written yet
    restore_files = backup._restore_files
    def _restore_files(*args, **kwargs):
        stop()
        return restore_files(*args, **kwargs)
    backup._restore_files = _restore_files
elif point == "files":  # after the second of the files
    real_file = backup.File
    written = []
    def File(handle):
        written.append(handle)
        if len(written) == 3:
            stop()
        return real_file(handle)
    backup.File = File
elif point == "search":  # after the first batch of search entries
    reindex = services.reindex
    def _reindex(*args, **kwargs):
        return reindex(batch=2, progress=lambda done, total: stop())
    services.reindex = _reindex

from django.core.management import call_command
call_command("restore", archive, "--force")
"""


PHASE_AT = {"database": "database", "after-database": "files", "files": "files", "search": "index"}


def python(script: str, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def state(env: dict[str, str]) -> dict[str, object]:
    return dict(json.loads(python(STATE, env=env).strip().splitlines()[-1]))


def stopped(pid: int) -> bool:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return fields[0] == "T"


def kill_restore_at(point: str, archive: Path, env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_RESTORE, point, str(archive)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 240
    while not stopped(process.pid):
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the restore ended before {point}: {output}")
        assert time.monotonic() < deadline, f"the restore never reached {point}"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if process.stdout:
        process.stdout.close()


# The instance is made in one process (each `zimao` process spends seconds starting Django):
# the same commands an operator runs, through call_command.
MAKE_INSTANCE = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
{POPULATE}
call_command("reindex")
call_command("backup", sys.argv[1])
"""


@pytest.fixture
def instance(scratch_database, tmp_path):
    """An instance with records, stored files and search entries, a backup of it, and the
    state it was backed up in."""
    var = tmp_path / "var"
    env = instance_env(var, scratch_database, PYTHONPATH=str(ROOT))
    archive = tmp_path / "zimao.tar.gz"
    populate = POPULATE.replace("import django\ndjango.setup()\n", "")
    backed_up = state_after(MAKE_INSTANCE.replace("{POPULATE}", populate), str(archive), env=env)
    assert archive.exists()
    return env, var, archive, backed_up


def state_after(script: str, *args: str, env: dict[str, str]) -> dict[str, object]:
    """Run the script, then read the state in the same process."""
    return dict(json.loads(python(script + STATE, *args, env=env).strip().splitlines()[-1]))


def changed_after_backup(env: dict[str, str], n: int) -> dict[str, object]:
    """So that the state before each restore differs from the backup's."""
    return state_after(CHANGE.replace("{n}", str(n)), env=env)


def test_a_restore_killed_at_any_point_is_finished_by_the_next_start(instance):
    """Each point, then one kind of start; last, a restore that cannot be finished."""
    env, var, archive, backed_up = instance
    assert backed_up["entries"] and len(backed_up["files"]) == 6  # five reports and the sample

    # Each point, then the next start: a web process, `zimao restore`, `zimao serve`.
    for number, (point, start) in enumerate(
        [
            ("database", "web"),
            ("after-database", "serve"),
            ("files", "restore"),
            ("search", "web"),
        ]
    ):
        assert changed_after_backup(env, number) != backed_up
        kill_restore_at(point, archive, env)
        marker = json.loads((var / "restore-in-progress.json").read_text(encoding="utf-8"))
        assert marker["phase"] == PHASE_AT[point], marker
        if start == "web":  # the web process finishes the restore as it starts
            after = state_after("import zimao.wsgi\n", env=env)
        else:
            if start == "restore":
                assert "restored" in zimao("restore", env=env).stdout
            else:
                with running_server(env, "--no-worker") as (base, _):
                    status, _, body = get(f"{base}/healthz")
                    assert status == 200, body
            after = state(env)
        assert not (var / "restore-in-progress.json").exists(), point
        assert not (var / "restore-in-progress").exists(), point
        assert after == backed_up, point

    # Last: a restore whose copy and backup are both gone cannot be finished; the server
    # refuses to start and says why, and the marker stays for /healthz.
    kill_restore_at("after-database", archive, env)
    shutil.rmtree(var / "restore-in-progress")
    archive.unlink()
    refused = subprocess.run(
        [*ZIMAO, "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert refused.returncode != 0
    assert "cannot be resumed" in refused.stderr
    assert (var / "restore-in-progress.json").exists()


@pytest.mark.django_db
def test_healthz_tells_a_running_restore_from_an_interrupted_one(client, settings, tmp_path):
    from zimao.ops.backup import _write_marker, restore_lock

    settings.VAR_DIR = tmp_path / "var"
    assert client.get("/healthz").status_code == 200
    _write_marker(tmp_path / "zimao.tar.gz", False, "files")
    with restore_lock(wait=True):  # as a restore running in another process holds it
        running = client.get("/healthz")
        assert (running.status_code, running.json()["restore"]) == (503, "running")
    stopped = client.get("/healthz")
    assert (stopped.status_code, stopped.json()["restore"]) == (503, "unfinished")
