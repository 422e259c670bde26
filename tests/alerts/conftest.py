from collections.abc import Iterator
from typing import Any

import pytest

from .receivers import Mailbox, Robot, robot_server, smtp_server


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
    """A real HTTP receiver on localhost, added to the webhook allow-list."""
    for server in robot_server():
        settings.ALERT_WEBHOOK_HOSTS = [*settings.ALERT_WEBHOOK_HOSTS, "127.0.0.1"]
        yield server
