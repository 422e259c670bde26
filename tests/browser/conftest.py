import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.alerts.receivers import mailbox, robot  # noqa: F401  (the office walk's receivers)

CHROMIUM = os.environ.get("ZIMAO_CHROMIUM", "/usr/bin/chromium")
# Flags that keep a headless Chromium from reaching for the network or a sandbox it lacks as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The network cut off: every request that does not go to the loopback (the test server) goes to
# a proxy on a port where nothing listens (9, discard), and fails; Chromium never sends the
# loopback through a proxy. (Playwright's own `proxy` option would send the loopback there too.)
# Unlike intercepting each request in Playwright, this leaves Chromium's cache on, so the
# vendored scripts are not fetched again for every page of a test.
NO_NETWORK = ["--proxy-server=http://127.0.0.1:9"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium to run)")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls in fixtures are synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *NO_NETWORK]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A Chinese-locale page with the network cut off (NO_NETWORK): a request that does not go
    to the test server fails, and fails the test, so nothing may come from a CDN."""
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    failed: list[str] = []
    downloads: list[str] = []
    page.on("download", lambda download: downloads.append(download.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    yield page
    failed = [url for url in failed if url not in downloads]  # a download ends the request
    context.close()
    assert not failed, f"requests failed: {failed}"
