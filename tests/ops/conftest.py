import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRES_URL = os.environ.get("DATABASE_URL", "")


def _postgres_scratch() -> Iterator[str]:
    """A new, empty PostgreSQL database on the suite's cluster, dropped afterwards."""
    import psycopg

    parts = urlsplit(POSTGRES_URL)
    name = f"zimao_scratch_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_database(request, tmp_path) -> Iterator[str]:
    """An empty database URL: a SQLite file, or (in the PostgreSQL run) a new PostgreSQL DB."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/scratch-{uuid.uuid4().hex[:6]}.sqlite3"
        return
    if not POSTGRES_URL.startswith("postgres"):
        pytest.skip("PostgreSQL side runs in the PostgreSQL run of the suite (make test)")
    yield from _postgres_scratch()


@pytest.fixture
def postgres_database() -> Iterator[str]:
    if not POSTGRES_URL.startswith("postgres"):
        pytest.skip("runs in the PostgreSQL run of the suite (make test)")
    yield from _postgres_scratch()
