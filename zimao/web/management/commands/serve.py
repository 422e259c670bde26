"""`zimao serve`: one simple process by default, gunicorn workers × threads with --production.

The simple mode also starts one job worker (`zimao db_worker`) next to the web server and stops
it on exit, so `make run` runs background jobs; in production the worker is its own service.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication

from zimao.settings import env_int
from zimao.web.checks import refuse_development_key


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


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the worker gets SIGTERM if the server process dies without stopping it."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # leave serve() through the `finally` that stops the worker


@contextlib.contextmanager
def job_worker(start: bool) -> Iterator[subprocess.Popen[bytes] | None]:
    """One `zimao db_worker` process for as long as the block runs."""
    if not start:
        yield None
        return
    process = subprocess.Popen(  # noqa: S603 (a fixed command: this interpreter, this app)
        [sys.executable, "-m", "zimao.cli", "db_worker", "--no-reload", "--verbosity", "1"],
        preexec_fn=_die_with_parent,  # no threads exist yet, so a pre-exec hook is safe
    )
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        yield process
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        process.terminate()  # the worker finishes its current task, then exits
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
