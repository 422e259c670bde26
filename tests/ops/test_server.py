"""`zimao serve --production`: gunicorn workers, /healthz, WhiteNoise, JSON logs, key guard."""

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.ops.helpers import (
    children,
    free_port,
    get,
    get_json,
    instance_env,
    running_server,
    zimao,
)


def test_production_server_runs_workers_serves_static_and_logs_json(tmp_path):
    env = instance_env(tmp_path, ZIMAO_LOG_FORMAT="json", ZIMAO_WORKERS="3", ZIMAO_THREADS="2")
    with running_server(env, "--production") as (base, process):
        assert get_json(f"{base}/healthz") == (200, {"status": "ok", "worker": "unknown"})
        status, headers, body = get(f"{base}/static/zimao/zimao.css")
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert b"{" in body
        # ZIMAO_WORKERS=3: the gunicorn master has three worker processes.
        deadline = time.monotonic() + 60  # generous: a busy machine starts workers slowly
        while len(children(process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(children(process.pid)) == 3
        # The app is preloaded: the master itself holds the segmenter's native library ...
        assert "rjieba" in Path(f"/proc/{process.pid}/maps").read_text()
        # ... and every forked worker opens its own database connection.
        for _ in range(9):
            assert get_json(f"{base}/healthz") == (200, {"status": "ok", "worker": "unknown"})
    output = process.stdout.read() if process.stdout else ""
    assert "3 workers × 2 threads" in output
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    request = next(r for r in records if r.get("logger") == "zimao.request")
    assert request["path"] == "/healthz"
    assert request["status"] == 200
    assert request["level"] == "INFO"
    assert isinstance(request["duration_ms"], float)
    assert any(r["logger"] == "gunicorn.error" for r in records)  # the server's own lines too


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    closed = free_port()  # nothing listens there
    env = instance_env(tmp_path, database_url=f"postgres://zimao@127.0.0.1:{closed}/zimao")
    with running_server(env, "--production", "--workers", "1") as (base, _):
        status, body = get_json(f"{base}/healthz")
    assert status == 503
    assert body["status"] == "error"


def test_the_simple_default_server_also_answers(tmp_path):
    with running_server(instance_env(tmp_path)) as (base, _):
        status, body = get_json(f"{base}/healthz")
        assert (status, body["status"]) == (200, "ok")
        assert body["worker"] in ("ok", "unknown")  # not migrated; its worker may not beat yet


def test_a_server_refuses_the_development_key_unless_debug(tmp_path):
    env = instance_env(tmp_path)
    del env["SECRET_KEY"]
    result = zimao("serve", "--production", env=env, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY 仍是开发用默认值" in result.stderr
    assert "refuses to start" in result.stderr


def test_any_wsgi_server_refuses_the_development_key(tmp_path):
    env = instance_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import zimao.wsgi"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY 仍是开发用默认值" in result.stderr
    env["DEBUG"] = "true"  # a developer's own machine
    assert subprocess.run([sys.executable, "-c", "import zimao.wsgi"], env=env).returncode == 0


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_the_simple_server_runs_the_job_worker_and_stops_it(tmp_path):
    """`make run` serves jobs too: `zimao serve` starts one db_worker, which runs a queued job,
    and the worker ends with the server."""
    env = instance_env(tmp_path)
    zimao("migrate", "--no-input", env=env)
    with running_server(env) as (base, process):
        deadline = time.monotonic() + 20
        workers: list[int] = []
        while not workers and time.monotonic() < deadline:
            workers = [p for p in children(process.pid) if "db_worker" in _cmdline(p)]
            time.sleep(0.2)
        assert len(workers) == 1
        zimao("reindex", "--background", env=env)
        database = sqlite3.connect(tmp_path / "zimao.sqlite3")
        state = ""
        while state != "done" and time.monotonic() < deadline + 40:
            time.sleep(0.3)
            found = database.execute("SELECT state FROM jobs_job WHERE kind = 'reindex'")
            state = found.fetchone()[0]
        assert state == "done"
        scheduled = 0  # the worker's scheduler starts today's statistics refresh by itself
        while not scheduled and time.monotonic() < deadline + 40:
            query = "SELECT count(*) FROM jobs_job WHERE kind = 'scheduled.dbstats'"
            scheduled = database.execute(query).fetchone()[0]
            time.sleep(0.3)
        database.close()
        assert scheduled == 1
    deadline = time.monotonic() + 40
    while _cmdline(workers[0]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _cmdline(workers[0]), "the worker outlived the server"


def test_production_serve_leaves_the_worker_to_its_own_service(tmp_path):
    result = zimao("serve", "--production", "--worker", env=instance_env(tmp_path), check=False)
    assert result.returncode != 0 and "db_worker" in result.stderr
