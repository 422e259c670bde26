"""Every page a member of the cast can reach from the workbench and the menu: it opens (no
link offered ends in 403 or 404) and reads in Chinese (no Python reprs, no internal codes, no
English sentences). Links are followed breadth-first, a few of each kind of page."""

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.factories import person
from tests.pages import problems, visible_text
from tests.world import make_world

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]*)(?:#[^"]*)?"')
NEVER = ("/admin/", "/api/", "/i18n/", "/static/", "/media/", "/accounts/logout/")
PER_KIND = 2
MAX_PAGES = 140


def kind(url: str) -> str:
    """Pages of one kind share a key: /zones/shanghai/ and /zones/hubei/ are one kind."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/)", "/N", parts.path)
    path = re.sub(
        r"^/(zones|search/zones|replication/items|replication/batches)/[^/]+/", r"/\1/X/", path
    )
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k and not k.startswith("page"))
    return f"{path}?{'&'.join(keys)}"


def links(html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        if href.startswith("/") and not href.startswith(NEVER) and "format=" not in href:
            found.append(href)
    return found


def crawl(client: Client, start: list[str]) -> dict[str, int]:
    """Visit pages breadth-first from `start`; return url → status, and check each page."""
    seen: dict[str, int] = {}
    kinds: Counter[str] = Counter()
    queue = deque(start)
    failures: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or (kinds[kind(url)] >= PER_KIND and url not in start):
            continue
        kinds[kind(url)] += 1
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302):
            target = response["Location"]
            if "/accounts/login/" not in target:
                queue.appendleft(target)
            continue
        if response.status_code != 200:
            failures.append(f"{url} → {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        failures += [f"{url}: {p}" for p in problems(visible_text(html))]
        queue.extend(links(html))
    assert not failures, "\n".join(failures[:40])
    return seen


@pytest.fixture
def world(cast):
    return make_world(cast)


@pytest.mark.parametrize("who", ["public", "bob", "rita", "ada", "zoe", "otto", "paul", "nina"])
def test_every_page_reached_from_the_workbench_opens_and_reads_in_chinese(world, who):
    people = world.cast.members() | {"bob": person("bob")}
    client = Client()
    if who != "public":
        client.force_login(people[who])
    start = ["/workbench/" if who != "public" else "/"]
    records = world.records
    start += [
        "/search/?q=沪",
        "/search/?q=四川",
        "/search/?q=上海自贸区",
        "/search/?q=单一窗口",
        f"/reforms/innovations/{records['selected'].pk}/",
        "/search/zones/guangdong/",
        "/reforms/implementation/?zone=guangdong",
        "/indicators/",
        "/zones/hubei/",
        "/replication/batches/",
        "/nowhere/",
    ]
    seen = crawl(client, [u for u in start if u != "/nowhere/"])
    assert len(seen) > 20
    missing = client.get("/nowhere/")
    assert missing.status_code == 404
    assert "找不到该页面" in missing.content.decode()
    assert not problems(visible_text(missing.content.decode()))
