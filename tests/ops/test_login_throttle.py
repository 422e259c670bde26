"""Login throttling (django-axes): ten failures lock the site login and the admin login."""

import pytest

from zimao.accounts.models import User

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", password=PASSWORD, is_staff=True, is_superuser=True)


def attempt(client, url, password):
    return client.post(url, {"username": "alice", "password": password})


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"], ids=["site", "admin"])
def test_the_right_password_is_refused_after_eleven_wrong_ones(client, alice, url):
    for _ in range(9):
        response = attempt(client, url, "wrong")
        assert response.status_code == 200  # the form again, with its error
    assert attempt(client, url, "wrong").status_code == 429  # the tenth failure locks
    assert attempt(client, url, "wrong").status_code == 429  # the eleventh
    right = attempt(client, url, PASSWORD)
    assert right.status_code == 429
    page = right.content.decode()
    assert "登录失败次数过多" in page
    assert "请 15 分钟后再试" in page
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, alice):
    for _ in range(9):
        attempt(client, "/accounts/login/", "wrong")
    assert attempt(client, "/accounts/login/", PASSWORD).status_code == 302
    client.logout()
    for _ in range(9):
        assert attempt(client, "/accounts/login/", "wrong").status_code == 200
    assert attempt(client, "/accounts/login/", PASSWORD).status_code == 302


def test_the_lockout_page_is_translated(client, alice):
    client.cookies["django_language"] = "en"
    for _ in range(11):
        response = attempt(client, "/accounts/login/", "wrong")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
