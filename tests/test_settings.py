import pytest
from django.core.exceptions import ImproperlyConfigured

from zimao.settings import env_bool, env_int, env_str


def test_env_helpers_read_values_and_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("ZIMAO_TEST_SECRET_FILE", str(secret))
    monkeypatch.setenv("ZIMAO_TEST_FLAG", "yes")
    monkeypatch.setenv("ZIMAO_TEST_INT", "7")
    assert env_str("ZIMAO_TEST_SECRET", "") == "s3cret"
    assert env_bool("ZIMAO_TEST_FLAG", "false") is True
    assert env_int("ZIMAO_TEST_INT", "1") == 7


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("ZIMAO_TEST_FLAG", "maybe")
    monkeypatch.setenv("ZIMAO_TEST_INT", "seven")
    with pytest.raises(ImproperlyConfigured, match="boolean"):
        env_bool("ZIMAO_TEST_FLAG", "false")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("ZIMAO_TEST_INT", "1")
