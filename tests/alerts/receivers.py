"""Real local receivers for alert tests: an SMTP server (aiosmtpd) and an HTTP server that
stands in for a 企业微信/钉钉 group robot. Nothing is mocked: Zimao talks to them over TCP."""

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def bodies(self) -> list[str]:
        return [m.get_content() for m in self.messages]  # type: ignore[attr-defined]


def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Robot:
    """A group robot: records each POST (path, JSON body) and answers with the next planned
    HTTP status (200 with errcode 0 when the plan is used up)."""

    port: int = 0
    received: list[tuple[str, Any]] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, key: str = "k1") -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key={key}"

    def contents(self) -> list[str]:
        return [body["text"]["content"] for _path, body in self.received]


def robot_server() -> Iterator[Robot]:
    robot = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            with robot.lock:
                robot.received.append((self.path, body))
                status = robot.fail_with.pop(0) if robot.fail_with else 200
            answer = json.dumps({"errcode": 0 if status == 200 else 500, "errmsg": "ok"})
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    robot.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield robot
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on localhost, and Zimao's mail pointed at it."""
    for box in smtp_server():
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", box.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield box


@pytest.fixture
def robot(settings: Any) -> Iterator[Robot]:
    """A real HTTP receiver on localhost standing in for an office's group robot, added to the
    webhook allow-list."""
    for server in robot_server():
        settings.ALERT_WEBHOOK_HOSTS = [*settings.ALERT_WEBHOOK_HOSTS, "127.0.0.1"]
        yield server
