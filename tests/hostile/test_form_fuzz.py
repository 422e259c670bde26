"""Every HTML form of the main pages, sent hostile values field by field, and every page
parameter given hostile values: never a 5xx, for every kind of user.

The forms are read from the rendered pages (their action, method and field names), so a
field added to a form is fuzzed without editing this file.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import make_document, make_innovation, make_task, person
from zimao.reports.models import ReportDraft
from zimao.reports.services import report_draft_save

pytestmark = pytest.mark.django_db

HOSTILE = ["9223372036854775808", "abc", "x" * 5000, "\x00"]
PARAMS = ["page", "version", "index_version", "year", "zone", "kind", "q", "type", "status"]


class _Forms(HTMLParser):
    """(action, method, {field: first value}) of every form on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), a.get("method", "get").lower(), {}))
        elif not self.forms or "name" not in a:
            if tag == "option" and self._select and self.forms:
                self.forms[-1][2].setdefault(self._select, a.get("value", ""))
            return
        elif tag in ("input", "textarea"):
            if a.get("type") not in ("submit", "file", "button"):
                self.forms[-1][2].setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[tuple[str, str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def pages(cast):
    innovation = make_innovation("前海跨境通关改革")
    document = make_document("广东自贸试验区通关时间从72小时压缩到37小时。")
    task = make_task("F-1")
    draft = report_draft_save(
        user=cast.nina,
        kind=ReportDraft.Kind.ANNUAL,
        title="年度报告",
        subject="zone:guangdong",
        peers=[],
        year=2023,
    )
    return [
        "/reforms/innovations/new/",
        f"/reforms/innovations/{innovation.pk}/",
        "/reforms/innovations/",
        f"/reforms/tasks/{task.pk}/edit/",
        "/reforms/implementation/",
        "/replication/items/2019-investment-01/",
        "/replication/items/",
        "/replication/adoptions/",
        "/reports/new/",
        f"/reports/{draft.pk}/",
        f"/documents/{document.pk}/",
        "/documents/",
        "/search/",
        "/audit/",
    ]


@pytest.mark.parametrize("who", ["zoe", "ada", "bob"])
def test_hostile_form_input_never_answers_5xx(cast, pages, who):
    user = getattr(cast, who) if who != "bob" else person("bob")
    client = Client()
    client.force_login(user)
    failures = []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            continue
        for value in HOSTILE[:2]:  # every parameter at once: one request per value
            got = client.get(page, dict.fromkeys(PARAMS, value))
            if got.status_code >= 500:
                failures.append(f"GET {page} ?*={value[:20]!r}: {got.status_code}")
        for action, method, fields in forms_of(response.content.decode()):
            if method != "post":
                continue
            target = action or page
            names = [n for n in fields if n != "csrfmiddlewaretoken"]
            # Numbers break one field at a time (the others valid, so the view runs on);
            # long text and NULs in every field at once.
            sent = [fields | {n: v} for n in names for v in HOSTILE[:2]]
            sent += [fields | dict.fromkeys(names, v) for v in HOSTILE[2:]]
            for data in sent:
                got = client.post(target, data)
                if got.status_code >= 500:
                    shown = {k: v[:20] for k, v in data.items() if v != fields.get(k)}
                    failures.append(f"POST {target} {shown}: {got.status_code}")
    assert not failures, "\n".join(failures[:40])
