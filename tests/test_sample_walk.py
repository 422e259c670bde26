"""With the bundled sample file imported, no page, API row, export, open-data file or report
shows a sample figure without its 样例 marker.

Routes come from the URLconf (as in the access walk), their parameters filled by name, so a new
route is walked without editing this file. A sample figure is recognised by what a reader would
see of it: a link to its observation, its source text, or its value where that value is
distinctive (four digits or more, and no reference figure has the same value). Where one
appears, the table row or list item around it (or, in JSON, the object holding it) must say
样例; a report built on it must say so on every page.
"""

import csv
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.indicators.helpers import PEERS, SAMPLE, SUBJECT, import_sample, national
from tests.test_access_walk import Route, routes
from zimao.indicators.models import Observation, Provenance
from zimao.indicators.units import format_value
from zimao.reports.services import report_draft_save

pytestmark = pytest.mark.django_db

SAMPLE_SOURCE = next(csv.DictReader(SAMPLE.open(encoding="utf-8")))["来源"]
SKIPPED = {"api:openapi-json", "api:openapi-view", "accounts:logout", "set_language"}
BENCH = {"subject": SUBJECT, "peers": PEERS, "year": "2023"}
# extra query strings per route (each route is also walked without one)
QUERIES: dict[str, list[dict[str, object]]] = {
    "indicators:list": [{"page": n} for n in range(2, 9)],
    "indicators:export": [{"format": "csv"}, {"format": "xlsx"}],
    "indicators:benchmark": [BENCH, {**BENCH, "chart": "fdi_actual"}],
    "indicators:index": [{"kind": "area", "year": "2023", "explain": SUBJECT}],
    "indicators:index_export": [{"kind": "area", "year": "2023"}],
    "reports:new": [BENCH],
    "api:get_benchmark": [{**BENCH, "peers": ",".join(PEERS)}],
    "api:get_index_scores": [{"kind": "area", "year": "2023"}],
    "api:list_observations": [{"subject": "成都天府新区片区"}, {"indicator": "fdi_actual"}],
}
# routes where the walk must meet sample figures (so the check cannot pass by seeing none)
MUST_SEE = {
    "zones:detail", "indicators:list", "indicators:observation", "indicators:export",
    "indicators:benchmark", "indicators:index", "indicators:index_export", "reports:export",
    "api:get_indicator", "api:list_observations", "api:get_benchmark", "api:get_index_scores",
}  # fmt: skip
ROW = re.compile(r"<(tr|li)\b.*?</\1>", re.S)
JSON_SCRIPT = re.compile(r'<script id="[^"]+" type="application/json">(.*?)</script>', re.S)


class Samples:
    """What a reader sees of the sample figures: links, source text and distinctive values."""

    def __init__(self) -> None:
        rows = list(Observation.objects.select_related("indicator"))
        self.ids = {o.pk for o in rows if o.provenance == Provenance.SAMPLE}
        taken = {o.value.normalize() for o in rows if o.pk not in self.ids and o.value is not None}
        texts: set[str] = set()
        self.floats: set[float] = set()
        for o in rows:
            if o.pk not in self.ids or o.value is None or o.value.normalize() in taken:
                continue
            value = o.value.normalize()
            plain = format(value, "f")
            if re.fullmatch(r"(19|20)\d\d", plain):
                continue
            forms = {plain, f"{value:,f}", format_value(o.value, o.unit).split(" ")[0]}
            forms = {f for f in forms if len(re.sub(r"\D", "", f)) >= 4}
            texts |= forms
            if plain in forms:
                self.floats.add(float(value))
        self.values = re.compile(
            r"(?<![\dA-Za-z.,/=_-])("
            + "|".join(re.escape(t) for t in sorted(texts, key=len)[::-1])
            + r")(?![\dA-Za-z_/]|\.\d)"
        )
        self.links = re.compile(
            r'href="/indicators/observations/(' + "|".join(map(str, self.ids)) + r')/"'
        )

    def seen_in(self, text: str) -> bool:
        return bool(SAMPLE_SOURCE in text or self.links.search(text) or self.values.search(text))

    @staticmethod
    def marked(text: str) -> bool:
        return "样例" in text.replace(SAMPLE_SOURCE, "")


@pytest.fixture
def walk(cast, settings, tmp_path):
    settings.JOBS_DIR = tmp_path / "jobs"
    import_sample(national("nadia"))
    draft = report_draft_save(
        user=cast.nina, title="样例对标", subject=SUBJECT, peers=PEERS, year=2023
    )
    annual = report_draft_save(
        user=cast.nina, kind="annual", title="年度", subject="zone:sichuan", year=2023
    )
    client = Client()
    client.force_login(cast.nina)
    sample = Observation.objects.filter(provenance=Provenance.SAMPLE).order_by("id")
    params = {
        "code": ["sichuan", "hubei", "zhejiang", "trade_total", "fdi_actual"],
        "pk": [sample.first().pk, sample.last().pk],
        "fmt": ["html", "pdf", "docx"],
    }
    by_route = {"reports:edit": [draft.pk, annual.pk], "reports:export": [draft.pk, annual.pk]}
    return client, Samples(), params, by_route


def urls(route: Route, params: dict, by_route: dict) -> list[str]:
    filled = [{}]
    for name in route.params:
        options = by_route.get(route.name, params.get(name, ["1"])) if name == "pk" else None
        options = options or params.get(name, ["1"])
        filled = [f | {name: o} for f in filled for o in options]
    found = []
    for values in filled:
        path = route.path
        for name, value in values.items():
            path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
        found.append("/" + path)
    return found


def test_no_sample_figure_appears_without_its_marker(walk):
    client, samples, params, by_route = walk
    seen: set[str] = set()
    problems: list[str] = []
    for route in routes():
        if route.name in SKIPPED or route.name.startswith(("admin", "search:", "documents:")):
            continue
        for url in urls(route, params, by_route):
            for query in [{}, *QUERIES.get(route.name, [])]:
                response = client.get(url, query)
                where = f"{route.name} {url} {query}"
                assert response.status_code < 500, where
                if response.status_code != 200:
                    continue
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                found = check(response["Content-Type"], body, samples, where)
                problems += found[1]
                if found[0]:
                    seen.add(route.name)
    assert not problems, "\n".join(problems[:20])
    assert seen >= MUST_SEE, MUST_SEE - seen


def check(content_type: str, body: bytes, samples: Samples, where: str) -> tuple[bool, list[str]]:
    """(whether a sample figure was shown, where one was shown without its marker)."""
    if content_type.startswith("text/html"):
        return check_html(body.decode(), samples, where)
    if content_type.startswith("application/json"):
        return check_json(json.loads(body), samples, where)
    if content_type.startswith("text/csv"):
        return check_table(list(csv.reader(io.StringIO(body.decode("utf-8-sig")))), where)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        rows = [
            [str(c) if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)
        ]
        return check_table(rows, where)
    if content_type == "application/pdf":
        return check_pages(pdf_pages(body), samples, where)
    if "wordprocessingml" in content_type:
        return check_docx(body, samples, where)
    if content_type == "application/zip":
        return check_open_data(body, samples, where)
    return False, []


def check_html(html: str, samples: Samples, where: str) -> tuple[bool, list[str]]:
    problems = []
    shown = samples.seen_in(html)
    report = html.find('id="report-body"')
    banner = 'id="sample-banner"' in html
    for row in ROW.finditer(html):
        text = row.group(0)
        if banner and report >= 0 and row.start() > report:
            continue  # a report's figures are covered by its banner (on every printed page)
        if samples.seen_in(text) and not samples.marked(text):
            problems.append(f"{where}: {re.sub(r'<[^>]+>', ' ', text)[:160]}")
    for script in JSON_SCRIPT.finditer(html):
        data = json.loads(script.group(1))
        chart_shown, chart_problems = check_chart(data, samples, where)
        shown |= chart_shown
        problems += chart_problems
    if report >= 0 and shown and not banner:
        problems.append(f"{where}: a report with sample figures has no banner")
    return shown, problems


def check_chart(data: object, samples: Samples, where: str) -> tuple[bool, list[str]]:
    """A chart series holding a sample value is named （样例）; so is a bar's label."""
    shown, problems = False, []
    if isinstance(data, dict):
        values = data.get("data") if "name" in data else None
        if isinstance(values, list) and samples.floats & {v for v in values if v is not None}:
            shown = True
            if "样例" not in str(data["name"]):
                problems.append(f"{where}: chart series {data['name']} has no 样例 in its name")
        for label, value in zip(data.get("labels", []), data.get("values", []), strict=False):
            if value in samples.floats:
                shown = True
                if "样例" not in label:
                    problems.append(f"{where}: chart bar {label} has no 样例 in its label")
        for item in data.values():
            inner = check_chart(item, samples, where)
            shown, problems = shown or inner[0], problems + inner[1]
    elif isinstance(data, list):
        for item in data:
            inner = check_chart(item, samples, where)
            shown, problems = shown or inner[0], problems + inner[1]
    return shown, problems


def check_json(data: object, samples: Samples, where: str) -> tuple[bool, list[str]]:
    """An object about a sample observation says is_sample; a string quoting a sample value
    (a gap sentence) says 样例."""
    shown, problems = False, []
    if isinstance(data, dict):
        about = data.get("source") == SAMPLE_SOURCE or data.get("observation") in samples.ids
        if about:
            shown = True
            if data.get("is_sample") is not True:
                problems.append(f"{where}: {str(data)[:160]} has no is_sample")
        if not about:
            for item in data.values():
                inner = check_json(item, samples, where)
                shown, problems = shown or inner[0], problems + inner[1]
        chart_shown, chart_problems = check_chart(data, samples, where)
        shown, problems = shown or chart_shown, problems + chart_problems
    elif isinstance(data, list):
        for item in data:
            inner = check_json(item, samples, where)
            shown, problems = shown or inner[0], problems + inner[1]
    elif isinstance(data, str) and samples.values.search(data):
        shown = True
        if not samples.marked(data):
            problems.append(f"{where}: {data[:160]}")
    return shown, list(dict.fromkeys(problems))


def check_table(rows: list[list[str]], where: str) -> tuple[bool, list[str]]:
    """Exports: a row from the sample file says 样例 in its provenance column."""
    header, *body = rows
    source, provenance = header.index("来源"), header.index("数据性质")
    problems, shown = [], False
    for row in body:
        if row[source] == SAMPLE_SOURCE:
            shown = True
            if row[provenance] != "样例":
                problems.append(f"{where}: {row}")
    return shown, problems


def pdf_pages(body: bytes) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(body)
    return [page.get_textpage().get_text_range() for page in document]


def check_pages(pages: list[str], samples: Samples, where: str) -> tuple[bool, list[str]]:
    shown = any(samples.seen_in(p) for p in pages)
    if not shown:
        return False, []
    return True, [
        f"{where}: page {n} has no 样例" for n, p in enumerate(pages, 1) if "样例" not in p
    ]


def check_docx(body: bytes, samples: Samples, where: str) -> tuple[bool, list[str]]:
    import docx

    document = docx.Document(io.BytesIO(body))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    if not samples.seen_in(text):
        return False, []
    headers = [" ".join(p.text for p in s.header.paragraphs) for s in document.sections]
    return True, [f"{where}: Word header without 样例" for h in headers if "样例" not in h]


def check_open_data(body: bytes, samples: Samples, where: str) -> tuple[bool, list[str]]:
    """Open data leaves sample figures out: no file carries the sample source or provenance."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            text = (
                archive.read(name).decode("utf-8-sig") if name.endswith((".csv", ".json")) else ""
            )
            if SAMPLE_SOURCE in text:
                problems.append(f"{where}: {name} holds sample figures")
            if name.endswith("observations.csv"):
                rows = list(csv.DictReader(io.StringIO(text)))
                assert rows and "provenance" in rows[0], name
                problems += [f"{where}: {name} {r}" for r in rows if r["provenance"] == "sample"]
    return False, problems


def test_the_walk_catches_an_unmarked_sample_figure(walk):
    """The checks themselves: a row, a chart, an API object and a report page without the
    marker are each reported."""
    client, samples, _params, _by_route = walk
    o = Observation.objects.filter(provenance=Provenance.SAMPLE).exclude(value=None).last()
    link = reverse("indicators:observation", args=[o.pk])
    assert check_html(f'<tr><td><a href="{link}">x</a></td></tr>', samples, "t")[1]
    assert not check_html(f'<tr><td><a href="{link}">x</a> 样例</td></tr>', samples, "t")[1]
    value = next(iter(samples.floats))
    assert check_chart({"name": "甲", "data": [value]}, samples, "t")[1]
    assert check_json({"source": SAMPLE_SOURCE, "is_sample": False}, samples, "t")[1]
    assert check_pages(["样例", f"{Decimal(str(value)).normalize():f}"], samples, "t")[1]
