"""The test database as the reference load left it, kept aside and put back between tests that
commit (tests against a live server). On SQLite the whole file is copied page by page with
SQLite's backup API (milliseconds for the reference dataset); on PostgreSQL the database is
copied as a template database. Either is much faster than flushing and loading the dataset."""

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections


@dataclass
class Snapshot:
    vendor: str
    copy: Any = field(default=None)

    @classmethod
    def take(cls) -> "Snapshot":
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            return cls("sqlite", copy)
        if connection.vendor == "postgresql":
            name = f"{connection.settings_dict['NAME']}_snapshot"
            connections.close_all()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_name()}"')
            return cls("postgresql", name)
        raise NotImplementedError(connection.vendor)

    def restore(self) -> None:
        if self.vendor == "sqlite":
            connection.ensure_connection()
            self.copy.backup(connection.connection)
            return
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            # The live server closes its connections after each request; nothing else holds one.
            cursor.execute(f'DROP DATABASE IF EXISTS "{_name()}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{_name()}" TEMPLATE "{self.copy}"')

    def drop(self) -> None:
        if self.vendor == "sqlite":
            self.copy.close()
            return
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.copy}"')


def _name() -> str:
    return str(connection.settings_dict["NAME"])
