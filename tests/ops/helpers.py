"""Run `zimao` as an operator would: a separate process with its own environment."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ZIMAO = [sys.executable, "-m", "zimao.cli"]
TEST_KEY = "test-only-key-8f2b7c1e9d0a4b6f3e5c7a9b1d2f4e6a8c0b2d4f6e8a0c2e4"


def instance_env(var_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """An environment for one Zimao instance: its own var/ (SQLite file, media) or database."""
    # Not the test run's own settings (the browser tests allow unsafe async, for example).
    skip = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update({"ZIMAO_VAR_DIR": str(var_dir), "SECRET_KEY": TEST_KEY, "PYTHONUNBUFFERED": "1"})
    if database_url:
        env["DATABASE_URL"] = database_url
    # A worker of a test instance would otherwise render a month's progress report for every
    # zone, area and province while the test runs; tests that need it pass their own value.
    env["ZIMAO_SCHEDULE_OFF"] = "progress-reports"
    env.update(extra)
    return env


def zimao(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*ZIMAO, *args], env=env, capture_output=True, text=True, check=False, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"zimao {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get_json(url: str) -> tuple[int, Any]:
    status, _, body = get(url)
    return status, json.loads(body)


@contextmanager
def running_server(env: dict[str, str], *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Start `zimao serve ARGS` on a free loopback port; yield its base URL and process."""
    port = free_port()
    process = subprocess.Popen(
        [*ZIMAO, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # gunicorn preloads the app before it binds: on a loaded machine that takes a while.
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise AssertionError(f"server exited: {output}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("server did not start in 90 s") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children(pid: int) -> list[int]:
    """Process ids whose parent is pid (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
