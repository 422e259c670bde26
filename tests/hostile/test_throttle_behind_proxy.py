"""Behind the documented proxy (ZIMAO_PROXY_COUNT=1, nginx appending the address it saw to
X-Forwarded-For), a stranger's failed logins lock only the stranger, whatever they forge."""

import pytest
from django.db.models import F
from django.test import Client

from zimao.accounts.models import User

PASSWORD = "correct horse battery"
LOGIN = "/accounts/login/"


@pytest.fixture
def alice(db, settings):
    settings.PROXY_COUNT = 1
    return User.objects.create_user("alice", password=PASSWORD, is_superuser=True)


def via_proxy(client: Client, password: str, seen_by_proxy: str, forged: str = ""):
    """A login POST as nginx forwards it: the forged header, then the address nginx saw."""
    header = f"{forged}, {seen_by_proxy}" if forged else seen_by_proxy
    return client.post(
        LOGIN,
        {"username": "alice", "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=header,
    )


def test_ten_bad_logins_with_forged_headers_do_not_lock_the_real_user(alice):
    stranger = Client()
    for number in range(12):
        via_proxy(stranger, "wrong", "203.0.113.9", forged=f"198.51.100.{number}")
    assert via_proxy(stranger, PASSWORD, "203.0.113.9").status_code == 429
    real = Client()
    response = via_proxy(real, PASSWORD, "198.51.100.20", forged="203.0.113.9")
    assert response.status_code == 302
    assert real.session["_auth_user_id"] == str(alice.pk)


def test_the_lockout_page_says_when_it_ends(alice):
    client = Client()
    for _ in range(10):
        response = via_proxy(client, "wrong", "203.0.113.9")
    assert response.status_code == 429
    page = response.content.decode()
    assert "请 15 分钟后再试" in page
    assert "锁定约于" in page and "解除" in page


def test_without_a_proxy_the_header_is_ignored(db, settings):
    settings.PROXY_COUNT = 0
    User.objects.create_user("alice", password=PASSWORD)
    stranger = Client()
    for number in range(10):
        stranger.post(
            LOGIN,
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    locked = stranger.post(
        LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert locked.status_code == 429
    other = Client().post(
        LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 302


def test_the_lock_ends_when_the_page_says(alice, settings):
    """The page names the end as the cool-off after the latest failure; time is passed by
    moving the recorded failures back, never by waiting."""
    from datetime import timedelta

    from axes.models import AccessAttempt

    client = Client()
    for _ in range(10):
        response = via_proxy(client, "wrong", "203.0.113.9")
    assert "锁定约于" in response.content.decode()
    cooloff = settings.AXES_COOLOFF_TIME
    almost = cooloff - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - almost)
    assert via_proxy(client, PASSWORD, "203.0.113.9").status_code == 429  # still locked
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cooloff - timedelta(seconds=1))
    assert via_proxy(client, PASSWORD, "203.0.113.9").status_code == 302
