"""The `zimao` command wraps the management commands a user needs."""

import subprocess
import sys

import pytest

from zimao.cli import USER_COMMANDS, main


def test_help_lists_the_user_commands(capsys):
    main([])
    out = capsys.readouterr().out
    for name in USER_COMMANDS:
        assert name in out


@pytest.mark.django_db
def test_hyphenated_commands_reach_management_commands(capsys):
    main(["load-reference", "--check"])
    assert "reference data is valid" in capsys.readouterr().out


def test_the_console_script_runs():
    result = subprocess.run(
        [sys.executable, "-m", "zimao.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "--port" in result.stdout
