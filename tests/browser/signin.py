"""Signing in as one of the cast (tests/world.py: password `pw-<name>-123`) through the real
login form, as the browser walks do."""

from typing import Any


def sign_in(page: Any, server: Any, name: str) -> None:
    """Sign in at the login page and wait for the workbench it leads a member of staff to."""
    page.goto(server.url + "/accounts/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", f"pw-{name}-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/workbench/")
