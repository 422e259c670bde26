"""Under the strict Content-Security-Policy every page still works and nothing is refused."""

import pytest

from zimao.accounts.models import User
from zimao.zones.models import Zone

pytestmark = [pytest.mark.browser]

PUBLIC = [
    "/",
    "/zones/",
    "/zones/shanghai/",
    "/replication/items/",
    "/reforms/innovations/",
    "/indicators/",
    "/search/?q=清单",
    "/accounts/login/",
    "/api/docs",
    "/admin/login/",
    "/open-data/",
]


def violations_while_visiting(page, base, paths):
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective));"
    )
    for path in paths:
        response = page.goto(base + path)
        assert response.status < 400, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    return refused


def test_public_pages_run_under_the_policy(loaded_live_server, page):
    refused = violations_while_visiting(page, loaded_live_server.url, PUBLIC)
    assert refused == []
    page.goto(loaded_live_server.url + "/")
    page.wait_for_selector("#negative-list-chart[data-rendered=true] canvas")
    chart = page.locator("#negative-list-chart")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    for x in (0.3, 0.5, 0.7):  # chart tooltips must not need inline styles either
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * 0.5)
        page.wait_for_timeout(300)
    assert refused == []
    page.goto(loaded_live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .info")  # the API docs render from local files


def test_admin_pages_run_under_the_policy(loaded_live_server, page):
    User.objects.create_superuser("root", password="pw-for-csp")
    page.goto(loaded_live_server.url + "/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-for-csp")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    paths = [
        "/admin/",
        "/admin/zones/zone/",
        f"/admin/zones/zone/{Zone.objects.get(code='shanghai').pk}/change/",
        "/reforms/implementation/",
    ]
    assert violations_while_visiting(page, loaded_live_server.url, paths) == []
