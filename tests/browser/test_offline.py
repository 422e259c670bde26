"""The browser of the tests has no network beyond the loopback: a page that reached for a CDN
would fail its test, never quietly load from the internet (tests/browser/conftest.py)."""

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytestmark = [pytest.mark.browser]


def this_machines_address() -> str | None:
    """The address this machine reaches other hosts from (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


@pytest.fixture
def outside_server() -> Iterator[tuple[str, list[str]]]:
    """A server on this machine's network address, which the browser could reach without the
    cut-off: it stands in for a CDN, and records what reached it."""
    address = this_machines_address()
    if address is None:
        pytest.skip("this machine has no address beyond the loopback")
    reached: list[str] = []

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reached.append(self.path)
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(b"console.log('loaded');")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((address, 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{address}:{server.server_address[1]}", reached
    server.shutdown()
    server.server_close()


FETCH = """async (urls) => Promise.all(urls.map(url =>
    fetch(url, {mode: "no-cors"}).then(() => "loaded", () => "failed")))"""


def test_only_the_loopback_is_reachable(loaded_live_server: Any, browser: Any, outside_server):
    outside, reached = outside_server
    # Not the `page` fixture, which fails on any failed request; the app's Content-Security-Policy
    # (which refuses other origins by itself) is set aside, so that only the cut-off can refuse.
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(loaded_live_server.url + "/healthz")
        outcomes = page.evaluate(
            FETCH,
            [
                f"{outside}/echarts.min.js",
                "http://cdn.example.com/echarts.min.js",
                loaded_live_server.url + "/healthz",
            ],
        )
    finally:
        context.close()
    assert outcomes == ["failed", "failed", "loaded"]
    assert reached == []
