"""Configuration for production: SQLite tuned for a web server, `check --deploy` clean."""

import json
import subprocess
import sys

import pytest

from tests.ops.helpers import TEST_KEY, instance_env, zimao

PRAGMAS = """
import json, sqlite3, django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    found = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
             for name in ("journal_mode", "busy_timeout", "synchronous")}
# IMMEDIATE: entering a transaction takes the write lock at once, before anything is written.
with transaction.atomic():
    connection.cursor().execute("SELECT 1")
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        found["locked_by_open_transaction"] = False
    except sqlite3.OperationalError as exc:
        found["locked_by_open_transaction"] = "locked" in str(exc)
    other.close()
print(json.dumps(found))
"""


@pytest.mark.parametrize("named_by_url", [False, True], ids=["default path", "DATABASE_URL"])
def test_sqlite_is_set_up_for_a_web_server_however_it_is_named(tmp_path, named_by_url):
    url = f"sqlite:///{tmp_path}/named.sqlite3" if named_by_url else None
    env = instance_env(tmp_path, database_url=url, ZIMAO_SQLITE_BUSY_TIMEOUT_MS="7000")
    result = subprocess.run(
        [sys.executable, "-c", PRAGMAS], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {
        "journal_mode": "wal",
        "busy_timeout": 7000,
        "synchronous": 1,  # NORMAL
        "locked_by_open_transaction": True,
    }
    expected_file = tmp_path / ("named.sqlite3" if named_by_url else "zimao.sqlite3")
    assert expected_file.exists()


def production_env(tmp_path, **extra):
    return instance_env(
        tmp_path,
        SECRET_KEY=TEST_KEY,
        ALLOWED_HOSTS="zimao.example.cn",
        ZIMAO_HTTPS="true",
        CSRF_TRUSTED_ORIGINS="https://zimao.example.cn",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        **extra,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    result = zimao("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert "System check identified no issues" in result.stdout


def test_check_deploy_reports_the_development_key_and_plain_http(tmp_path):
    env = instance_env(tmp_path)
    del env["SECRET_KEY"]
    result = zimao("check", "--deploy", env=env, check=False)
    assert result.returncode != 0
    for code in ("zimao.E001", "security.W004", "security.W008", "security.W012"):
        assert code in result.stderr


SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "CSRF_TRUSTED_ORIGINS",
    "SECURE_PROXY_SSL_HEADER", "AXES_FAILURE_LIMIT")}))
"""


def test_each_https_setting_can_be_set_alone(tmp_path):
    env = production_env(tmp_path, SECURE_HSTS_SECONDS="600", SECURE_HSTS_PRELOAD="false")
    env["ZIMAO_LOGIN_FAILURE_LIMIT"] = "5"
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "CSRF_TRUSTED_ORIGINS": ["https://zimao.example.cn"],
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "AXES_FAILURE_LIMIT": 5,
    }
