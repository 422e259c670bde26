"""`zimao serve`: one simple process by default, gunicorn workers × threads with --production.

The simple mode also starts one job worker (`zimao db_worker`) next to the web server, starts it
again if it dies, and stops it on exit, so `make run` runs background jobs; in production the
worker is its own service.
"""

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication

from zimao.settings import env_int
from zimao.web.checks import refuse_development_key

logger = logging.getLogger("zimao.serve")


def default_workers() -> int:
    return env_int("ZIMAO_WORKERS", str(max(2, os.cpu_count() or 1)))


def default_threads() -> int:
    return env_int("ZIMAO_THREADS", "4")


def gunicorn_options(options: dict[str, Any]) -> dict[str, Any]:
    """Settings for gunicorn's gthread workers: processes for cores, threads for waiting on I/O."""
    return {
        "bind": f"{options['host']}:{options['port']}",
        "workers": options["workers"],
        "threads": options["threads"],
        "worker_class": "gthread",
        "timeout": options["timeout"],
        "graceful_timeout": 30,
        "keepalive": 5,
        # A worker is replaced after this many requests, so a slow leak cannot grow forever.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": None,  # zimao.web.middleware logs each request once, in the same format
        "logconfig_dict": server_logging(),
        "control_socket_disable": True,  # no runtime control socket in the service user's home
        "proc_name": "zimao",
        # The app (Django, the segmenter's dictionary, numpy and scikit-learn) is loaded once in
        # the master and shared copy-on-write by the workers, instead of once per worker.
        # `ZimaoGunicorn.load` closes the database connections before the workers fork.
        "preload_app": True,
        "forwarded_allow_ips": os.environ.get("ZIMAO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    }


def server_logging() -> dict[str, Any]:
    """The app's logging config, with gunicorn's own messages in the same format and stream."""
    config = dict(settings.LOGGING)
    config["loggers"] = {
        **config.get("loggers", {}),
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
    }
    return config


class Command(BaseCommand):
    help = (
        "Serve Zimao. Default: one waitress process (for a laptop). --production: gunicorn with "
        "--workers processes of --threads threads each (ZIMAO_WORKERS, ZIMAO_THREADS). Static "
        "files are served by WhiteNoise in both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ZIMAO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env_int("ZIMAO_PORT", "8000"))
        parser.add_argument(
            "--production",
            action="store_true",
            default=os.environ.get("ZIMAO_SERVE_MODE") == "production",
            help="gunicorn, several worker processes (also ZIMAO_SERVE_MODE=production)",
        )
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=default_threads())
        parser.add_argument("--timeout", type=int, default=60, help="seconds per request")
        parser.add_argument(
            "--worker",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="also run one background-job worker (default: yes, except with --production)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_development_key()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        from zimao.ops.backup import BackupError, resume_at_start

        try:
            resume_at_start(self.stdout.write)  # never serve half-restored records
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        url = f"http://{options['host']}:{options['port']}/"
        if options["production"]:
            if options["worker"]:
                raise CommandError(
                    "--production runs no job worker: run `zimao db_worker` as its own service"
                )
            self.stdout.write(
                f"Zimao serving on {url} ({options['workers']} workers × "
                f"{options['threads']} threads)"
            )
            self.stdout.flush()
            ZimaoGunicorn(gunicorn_options(options)).run()
            return
        from waitress import serve

        from zimao.wsgi import application

        worker = options["worker"] is not False
        with job_worker(worker):
            self.stdout.write(
                f"Zimao serving on {url}" + (" (with a job worker)" if worker else "")
            )
            self.stdout.flush()
            serve(
                application, host=options["host"], port=options["port"], threads=options["threads"]
            )


def _libc() -> Any:
    """libc, loaded in the parent: the pre-exec hook then imports nothing (no import lock)."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # not Linux
        return None


def _die_with_parent(libc: Any) -> Callable[[], None]:
    def hook() -> None:  # pragma: no cover - runs in the child before exec
        """Linux: the worker gets SIGTERM if the server process dies without stopping it."""
        if libc is not None:
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return hook


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # leave serve() through the `finally` that stops the worker


WORKER_COMMAND = [sys.executable, "-m", "zimao.cli", "db_worker", "--no-reload", "--verbosity", "1"]


class Supervisor:
    """Keeps one worker process running: when it exits, it is started again after a pause
    that doubles from `first_pause` up to `max_pause` (and starts over once a worker has
    lived longer than `max_pause`), each exit logged. `stop` ends it and the worker."""

    def __init__(
        self, command: list[str], first_pause: float = 1.0, max_pause: float = 60.0
    ) -> None:
        self.command = command
        self.first_pause, self.max_pause = first_pause, max_pause
        self.starts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._libc = _libc()
        self._thread = threading.Thread(target=self._run, name="job-worker-supervisor", daemon=True)

    def start(self) -> "Supervisor":
        self._thread.start()
        return self

    def _run(self) -> None:
        pause = self.first_pause
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                began = time.monotonic()
                self.process = subprocess.Popen(  # noqa: S603 (a fixed command)
                    self.command, preexec_fn=_die_with_parent(self._libc)
                )
                self.starts += 1
            code = self.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - began > self.max_pause:
                pause = self.first_pause
            logger.error("job worker exited (code %s); starting it again in %.1f s", code, pause)
            if self._stopping.wait(pause):
                return
            pause = min(pause * 2, self.max_pause)

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()  # the worker finishes its current task, then exits
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout=5)


@contextlib.contextmanager
def job_worker(start: bool, command: list[str] | None = None) -> Iterator[Supervisor | None]:
    """One supervised `zimao db_worker` process for as long as the block runs."""
    if not start:
        yield None
        return
    supervisor = Supervisor(command or WORKER_COMMAND).start()
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield supervisor
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        supervisor.stop()


class ZimaoGunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn run in-process with options from the command line, not from a config file."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """In the master, before the fork: load the app, then close every database connection
        it opened, so no worker inherits a socket or an SQLite file handle (each worker thread
        opens its own). Nothing else here starts a thread or holds a lock across the fork: the
        segmenter's lock is free once its dictionary is loaded."""
        from django.db import connections

        from zimao.wsgi import application

        connections.close_all()
        return application
