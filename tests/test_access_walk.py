"""Every page and API route, walked as every member of the cast: the status each should get,
and no response that shows a record outside the caller's scope.

Routes come from the URLconf (the API router's routes are in it too), so a new route is walked
without editing this file: its parameters are filled from the records below by name. Records
carry marker words; who may see each marker is written here by hand, not asked of the code.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_document, make_innovation, make_task, person
from zimao.zones.models import Area

pytestmark = pytest.mark.django_db

SECRET = "保密试点"
GD_DRAFT = "甲粤草案"  # Guangdong zone draft, no area
SC_DRAFT = "乙川草案"  # Sichuan zone draft
QH_DRAFT = "丙前海草案"  # Guangdong draft of the 前海蛇口片区
GD_DOC = "丁粤文档"  # a document of the Guangdong office
GD_JOB = "戊粤任务"  # a background job of the Guangdong zone office, with a result file
GD_SHEET = "己粤评语"  # the provincial office's score-sheet comment on a Guangdong submission
NINA_SEARCH = "庚检索名"  # the name of a search the national office saved for itself
GD_FILE = "辛粤附件"  # the text of a file attached to the Guangdong draft
SC_FILE = "壬川附件"  # the text of a file attached to the Sichuan draft
EVE_DEMAND = "癸甲企诉求"  # a demand of the enterprise eve (前海蛇口片区), routed to dora
MAL_DEMAND = "子乙企诉求"  # a demand of the enterprise mallory, same area, not routed
EVE_FILE = "丑甲企佐证"  # the text of the evidence file of eve's demand
EVE_POWER = "寅粤事权"  # the power the Guangdong office asks the province for, for eve
MEMBERS = {"rita", "ada", "zoe", "otto", "paul", "nina"}
ENTERPRISES = {"eve", "mallory"}  # enterprise accounts: no membership
SEES = {
    GD_DRAFT: {"rita", "zoe", "paul", "nina"},
    SC_DRAFT: {"rita", "otto", "nina"},
    QH_DRAFT: {"rita", "ada", "zoe", "paul", "nina"},
    GD_DOC: MEMBERS,
    GD_JOB: {"zoe", "paul", "nina"},
    GD_SHEET: {"paul", "nina"},
    NINA_SEARCH: {"nina"},
    GD_FILE: {"rita", "zoe", "paul", "nina"},
    SC_FILE: {"rita", "otto", "nina"},
    EVE_DEMAND: {"eve", "ada", "zoe", "paul", "nina", "dora"},
    MAL_DEMAND: {"mallory", "ada", "zoe", "paul", "nina"},
    EVE_FILE: {"eve", "ada", "zoe", "paul", "nina"},
    EVE_POWER: {"eve", "ada", "zoe", "paul", "nina"},
}
USERS = ["public", "bob", *sorted(MEMBERS), *sorted(ENTERPRISES), "dora"]
# On PostgreSQL the walks run as one reader of each kind of scope: anonymous, a zone office, the
# national office, an enterprise. The others differ only in which ids the same filters receive,
# which SQLite proves for every one of them (marker `one_database`, tests/conftest.py).
ON_BOTH = {"public", "zoe", "nina", "eve"}
WALKERS = [
    pytest.param(who, marks=[] if who in ON_BOTH else [pytest.mark.one_database]) for who in USERS
]
# Pages that need a signed-in member; the public is sent to sign in, a plain account refused.
MEMBERS_ONLY = {"documents:list", "documents:upload", "audit:log"}
# Pages that create records: offices only (a researcher reads, never writes).
OFFICES_ONLY = {"reforms:innovation_new"}
# API routes whose GET answers a file, not JSON (one path: download and delete)
FILE_API = {"api:attachment_download_api", "api:attachment_delete_api"}


@dataclass(frozen=True)
class Route:
    name: str
    path: str  # with <converter:name> placeholders
    params: tuple[str, ...]


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                path = prefix + str(pattern.pattern)
                if path.startswith("admin/"):
                    continue  # Django's admin: staff only, with its own permissions
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", path))
                found.append(Route(name, path, params))

    walk(get_resolver().url_patterns, "", "")
    return found


@pytest.fixture
def world(cast, settings, tmp_path):
    """The cast plus records inside and outside each scope, all carrying marker words."""
    settings.JOBS_DIR = tmp_path / "jobs"
    drafts = {
        GD_DRAFT: make_innovation(f"{SECRET}{GD_DRAFT}", "guangdong"),
        SC_DRAFT: make_innovation(f"{SECRET}{SC_DRAFT}", "sichuan"),
        QH_DRAFT: make_innovation(f"{SECRET}{QH_DRAFT}", "guangdong", area="前海蛇口片区"),
    }
    published = make_innovation("公开的跨境通关改革", "guangdong", published=True)
    document = make_document(
        f"广东自贸试验区{SECRET}{GD_DOC}：通关时间从72小时压缩到37小时。",
        title=f"{SECRET}{GD_DOC}",
        facts=[{"type": "quantity", "text": "72小时", "payload": {"value": 72}}],
    )
    tasks = [make_task("W-1", "guangdong"), make_task("W-2", "sichuan")]
    job = make_job(cast.zoe, GD_JOB)
    people = cast.members() | {"bob": person("bob")}
    # Audit events for the drafts (written through the services, as offices would).
    from zimao.reforms.services import innovation_update

    for marker, draft in drafts.items():
        owner = {GD_DRAFT: cast.zoe, SC_DRAFT: cast.otto, QH_DRAFT: cast.ada}[marker]
        innovation_update(user=owner, innovation=draft, version=1, mechanism=f"{marker}的做法")
    # Records only their deciders or their owner may read, with audit events of their own.
    from zimao.reforms.evaluation import score_sheet_save
    from zimao.reforms.models import Criterion, Innovation
    from zimao.search.services import saved_search_create

    submitted = make_innovation("已报送的通关改革", "guangdong", state=Innovation.State.SUBMITTED)
    score_sheet_save(
        user=cast.paul,
        innovation=submitted,
        values={c.code: 70 for c in Criterion.objects.filter(active=True)},
        comment=f"{GD_SHEET}：建议补充数据",
    )
    saved_search_create(user=cast.nina, name=f"{NINA_SEARCH}", query="q=通关")
    files = make_attachments(cast, drafts, tasks)
    link = make_alignment(cast, drafts)
    demand_records = make_demands(cast, people)
    values = {
        "pk": [*(d.pk for d in drafts.values()), published.pk, document.pk],
        "code": ["guangdong", "sichuan", "sc-5", "2019-investment-01"],
        "area_id": [Area.objects.get(zone__code="guangdong", name_zh="前海蛇口片区").pk],
        "document_id": [document.pk],
        "fact_id": [f.pk for f in document.facts.all()],
        "innovation_id": [d.pk for d in drafts.values()],
        "task_id": [t.pk for t in tasks],
        "record_type": ["reforms.innovation"],
        "record_id": [d.pk for d in drafts.values()],
        "target": ["innovation"],
        "kind": ["reindex", "task", "adoption", "innovation"],
        "attachment_id": [f.pk for f in files.values()],
        "batch": ["2023-first"],
        "measure": ["foreign-financial-new-services"],
        "link_id": [link.pk],
        "topic": ["nuclear-power"],
    }
    by_namespace = {
        "reforms:plan": [t.plan_id for t in tasks],
        "reforms:task": [t.pk for t in tasks],
        "documents:review": values["fact_id"],
        "documents:link": values["fact_id"],
        "jobs:": [job.pk],
        "attachments:task": [files["task"].pk],
        "attachments:adoption": [files["adoption"].pk],
        "attachments:innovation": [files[GD_FILE].pk, files[SC_FILE].pk],
        "attachments:demand": [demand_records["file"].pk],
        "demands:assignment": [demand_records["assignment"].pk],
        "demands:authority": [demand_records["power"].pk],
        "demands:enterprise": [demand_records["eve"].enterprise.pk],
        "demands:": [demand_records[EVE_DEMAND].pk, demand_records[MAL_DEMAND].pk],
    }
    return people, values, by_namespace


def make_demands(cast, people: dict) -> dict:
    """Two enterprises of 前海蛇口片区 with a demand each (the marker in every text), eve's
    with an evidence file, routed to dora's department and escalated to the province."""
    from datetime import date

    from tests.factories import person
    from zimao.demands import services
    from zimao.demands.creditcode import check_character
    from zimao.demands.models import DepartmentContact
    from zimao.reforms.models import ResponsibleUnit
    from zimao.zones.models import Zone

    guangdong = Zone.objects.get(code="guangdong")
    area = Area.objects.get(zone=guangdong, name_zh="前海蛇口片区")
    made: dict = {}
    for serial, (name, marker) in enumerate([("eve", EVE_DEMAND), ("mallory", MAL_DEMAND)]):
        first17 = f"9144030007{serial + 1:07d}"
        firm = services.enterprise_register(
            username=name,
            password=f"pw-{name}-Strong-123",
            email=f"{name}@firm.example.cn",
            name=f"{name}公司",
            credit_code=first17 + check_character(first17),
            zone=guangdong,
            area=area,
        )
        services.enterprise_verify(user=cast.ada, enterprise=firm, version=firm.version)
        firm.refresh_from_db()
        text = f"{SECRET}{marker}"
        files = [("佐证.txt", f"{SECRET}{EVE_FILE}".encode())] if name == "eve" else []
        made[marker] = services.demand_submit(
            user=firm.user, enterprise=firm, title=text, problem=text, blocker=text,
            industry="跨境电商", change=text, benchmark=text, files=files,
        )  # fmt: skip
        people[name] = firm.user
        made[name] = firm.user
    dora = person("dora")
    unit = ResponsibleUnit.objects.create(zone=guangdong, name="深圳市商务局")
    DepartmentContact.objects.create(unit=unit, user=dora)
    people["dora"] = dora
    demand = made[EVE_DEMAND]
    demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
    demand = services.demand_assign(
        user=cast.ada, demand=demand, version=demand.version, units=[(unit, date(2026, 7, 1))]
    )
    made["assignment"] = demand.assignments.get()
    made["file"] = demand.files.get()
    made["power"] = services.authority_request_create(
        user=cast.zoe, demand=demand, level="provincial", power=f"{SECRET}{EVE_POWER}",
        request=f"{SECRET}{EVE_POWER}",
    )  # fmt: skip
    return made


def make_attachments(cast, drafts: dict, tasks: list) -> dict:
    """Files on the two zone drafts (their text is the marker), on a task and on an adoption,
    uploaded by the offices through the service."""
    from zimao.attachments.services import attachment_add
    from zimao.replication.models import Adoption, ReplicationItem
    from zimao.zones.models import Zone

    adoption = Adoption.objects.create(
        item=ReplicationItem.objects.get(code="2019-investment-01"),
        zone=Zone.objects.get(code="guangdong"),
        status=Adoption.Status.IN_PROGRESS,
        date="2024-03",
    )
    made = {}
    for marker, draft, office in [
        (GD_FILE, drafts[GD_DRAFT], cast.zoe),
        (SC_FILE, drafts[SC_DRAFT], cast.otto),
    ]:
        text = f"{SECRET}{marker}：本月进展".encode()
        made[marker] = attachment_add(user=office, record=draft, name="进展.txt", data=text)
    made["task"] = attachment_add(user=cast.zoe, record=tasks[0], name="台账.txt", data=b"T-1")
    made["adoption"] = attachment_add(user=cast.zoe, record=adoption, name="落地.txt", data=b"A")
    return made


def make_alignment(cast, drafts: dict):
    """The 2023 alignment measures handed out; the Guangdong draft linked to a measure by its
    office, and the two zone drafts named in a stress test by the national office."""
    from zimao.alignment.models import Batch, MeasureTask
    from zimao.alignment.services import alignment_assign, measure_task_link, stress_test_save

    alignment_assign(user=cast.nina, batch=Batch.objects.get(code="2023-first"))
    link = MeasureTask.objects.get(
        measure__code="foreign-financial-new-services", zone__code="guangdong"
    )
    measure_task_link(user=cast.zoe, link=link, innovations=[drafts[GD_DRAFT]])
    stress_test_save(
        user=cast.nina, topic="nuclear-power", innovations=[drafts[GD_DRAFT], drafts[SC_DRAFT]]
    )
    return link


def make_job(user, marker: str):
    """A finished open-data job whose message and result file carry the marker."""
    from zimao.jobs.models import Job
    from zimao.jobs.services import job_start, write_result

    job = job_start(user=user, kind="open_data")
    name = write_result(job, "result.txt", lambda p: p.write_text(marker, encoding="utf-8"))
    Job.objects.filter(pk=job.pk).update(state="done", message=marker, result_file=name)
    return job


def urls_for(route: Route, values: dict, by_namespace: dict) -> list[str]:
    """Every URL of the route with its parameters filled from the records (GD draft first)."""
    candidates: list[dict[str, object]] = [{}]
    for param in route.params:
        options = next(
            (v for k, v in by_namespace.items() if route.name.startswith(k) and param == "pk"),
            values.get(param, ["1"]),
        )
        candidates = [c | {param: o} for c in candidates for o in options]
    urls = []
    for filled in candidates:
        path = route.path
        for param, value in filled.items():
            path = re.sub(rf"<(?:\w+:)?{param}>", str(value), path)
        urls.append("/" + path.lstrip("^").rstrip("$"))
    return urls


QUERY = {"q": SECRET, "kind": "innovation", "zone": "guangdong"}


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def test_the_url_walker_sees_every_route():
    names = {r.name for r in routes()}
    assert {"reforms:innovation", "api:search_api", "documents:detail", "audit:record"} <= names


@pytest.mark.parametrize("who", WALKERS)
def test_every_route_as_every_member_of_the_cast(world, who):
    people, values, by_namespace = world
    client = client_for(people[who])
    hidden = [marker for marker, seers in SEES.items() if who not in seers]
    for route in routes():
        for url in urls_for(route, values, by_namespace):
            for query in ("", urlencode(QUERY)):
                if route.name == "api:similar_api" and not query:
                    continue
                response = client.get(f"{url}?{query}" if query else url)
                where = f"{who} GET {url}?{query}"
                assert response.status_code < 500, where
                raw = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                body = raw.decode("utf-8", "replace")
                for marker in hidden:
                    assert marker not in body, f"{where} shows {marker}"
                check_status(route, url, who, response, where)


def check_status(route: Route, url: str, who: str, response, where: str) -> None:
    """The status each member of the cast should get on the routes whose rule is known."""
    status = response.status_code
    anonymous = who == "public"
    if route.name in MEMBERS_ONLY:
        expected = 302 if anonymous else (200 if who in MEMBERS else 403)
        if route.name == "documents:upload" and who in MEMBERS:
            expected = 200
        assert status == expected, where
    if route.name in OFFICES_ONLY:
        expected = 302 if anonymous else (200 if who in MEMBERS - {"rita"} else 403)
        assert status == expected, where
    if route.name == "demands:detail":
        marker = next((m for m in (EVE_DEMAND, MAL_DEMAND) if f"/{demand_pk(m)}/" in url), None)
        if marker is not None:
            # a department's contact reads the demand on its assignment's page only
            assert status == (200 if who in SEES[marker] - {"dora"} else 404), where
    if route.name == "attachments:demand_file":
        assert status == (200 if who in SEES[EVE_FILE] else 404), where
    if route.name in {"jobs:detail", "jobs:download"}:
        assert status == (302 if anonymous else 200 if who in SEES[GD_JOB] else 404), where
    if route.name == "reforms:innovation":
        marker = next((m for m in SEES if f"/{marker_pk(m)}/" in url), None)
        if marker is not None:
            assert status == (200 if who in SEES[marker] else 404), where
    if route.name == "attachments:innovation_file" or (
        route.name in FILE_API and "/innovation/" in url
    ):
        file_marker = next(
            (m for m in (GD_FILE, SC_FILE) if url.rstrip("/").endswith(f"/{attachment_pk(m)}")),
            None,
        )
        if file_marker is not None:
            assert status == (200 if who in SEES[file_marker] else 404), where
    if route.name in {"attachments:task_file", "attachments:adoption_file"}:
        assert status == 200, where  # tasks and adoptions are public: so are their files
    if route.name in FILE_API and status == 200:
        assert response["X-Content-Type-Options"] == "nosniff", where
        assert response["Content-Disposition"].startswith("attachment;"), where
        return
    api_page = route.name in {"api:openapi-view", "api:api-root"}
    if route.name.startswith("api:") and not api_page and status != 405:
        assert response["Content-Type"].startswith("application/json"), where


_PKS: dict[str, int] = {}


def demand_pk(marker: str) -> int:
    from zimao.demands.models import Demand

    found = Demand.objects.filter(title__endswith=marker).first()
    return found.pk if found else -1


def attachment_pk(marker: str) -> int:
    from zimao.attachments.models import InnovationAttachment

    title = {GD_FILE: GD_DRAFT, SC_FILE: SC_DRAFT}[marker]
    found = InnovationAttachment.objects.filter(target__title__endswith=title).first()
    return found.pk if found else -1


def marker_pk(marker: str) -> int:
    from zimao.reforms.models import Innovation

    if marker not in _PKS or not Innovation.objects.filter(pk=_PKS[marker]).exists():
        found = Innovation.objects.filter(title__endswith=marker).first()
        _PKS[marker] = found.pk if found else -1
    return _PKS[marker]


@pytest.mark.parametrize("who", ["public", "bob", "rita", "otto"])
def test_no_write_route_lets_an_outsider_touch_the_guangdong_draft(world, who):
    """POSTing to every write route of the Guangdong draft as someone outside its scope
    changes nothing."""
    from zimao.audit.models import AuditEvent
    from zimao.reforms.models import Innovation

    people, values, _ = world
    client = client_for(people[who])
    draft = Innovation.objects.get(title__endswith=GD_DRAFT)
    events = AuditEvent.objects.count()
    urls = [f"/reforms/innovations/{draft.pk}/{s}/" for s in ("effects", "step", "scores")]
    from django.core.files.uploadedfile import SimpleUploadedFile

    gd_file = attachment_pk(GD_FILE)
    urls += [
        f"/documents/evidence/innovations/{draft.pk}/",
        f"/attachments/upload/innovation/{draft.pk}/",
        f"/attachments/innovation/{gd_file}/delete/",
    ]
    for suffix in urls:
        response = client.post(
            suffix,
            {
                "to_state": "piloting",
                "reason": "越权",
                "version": 2,
                "measure": "x",
                "after": 1,
                "file": SimpleUploadedFile("越权.txt", "越权上传".encode()),
            },
        )
        assert response.status_code in (302, 403, 404), f"{who} {suffix}"
        if response.status_code == 302:
            assert "login" in response.url
    api = client.patch(
        f"/api/innovations/{draft.pk}",
        {"version": 2, "title": "改"},
        content_type="application/json",
    )
    assert api.status_code in (401, 403, 404)
    upload = client.post(
        f"/api/attachments/innovation/{draft.pk}",
        {"file": SimpleUploadedFile("越权.txt", "越权上传".encode())},
    )
    assert upload.status_code in (401, 403, 404)
    assert AuditEvent.objects.count() == events
    assert draft.attachments.count() == 1
    assert Innovation.objects.get(pk=draft.pk).title.endswith(GD_DRAFT)


@pytest.mark.parametrize("who", WALKERS)
def test_the_history_of_every_audited_record_shows_only_what_its_record_shows(world, who):
    """/audit/<type>/<id>/ of every event in the log, for every model: an event never shows
    a marker its record hides from the reader (score sheets, saved searches, drafts, jobs)."""
    from zimao.audit.models import AuditEvent

    people, _, _ = world
    client = client_for(people[who])
    hidden = [marker for marker, seers in SEES.items() if who not in seers]
    records = set(AuditEvent.objects.values_list("record_type", "record_id"))
    assert {t for t, _ in records} >= {"reforms.scoresheet", "search.savedsearch"}
    for record_type, record_id in sorted(records):
        url = f"/audit/{record_type}/{record_id}/"
        response = client.get(url)
        assert response.status_code < 500, f"{who} GET {url}"
        body = response.content.decode()
        for marker in hidden:
            assert marker not in body, f"{who} GET {url} shows {marker}"
    log = client.get("/audit/").content.decode()
    for marker in hidden:
        assert marker not in log, f"{who} GET /audit/ shows {marker}"


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("route", ["page", "api"])
def test_only_the_national_office_confers_a_national_designation(world, who, route):
    """全国复制推广 on the scored Guangdong submission, through the page and through the API:
    the national office succeeds; the provincial office (which may select for its province)
    and everyone else are refused and nothing changes."""
    from zimao.reforms.models import Innovation

    people, _, _ = world
    client = client_for(people[who])
    submission = Innovation.objects.get(title="已报送的通关改革")
    body = {
        "to_state": "selected",
        "reason": "入选",
        "selection": "replicated_national",
        "version": submission.version,
    }
    if route == "page":
        response = client.post(f"/reforms/innovations/{submission.pk}/step/", body)
        done = response.status_code == 302 and "login" not in response.url
    else:
        response = client.post(
            f"/api/innovations/{submission.pk}/transitions", body, content_type="application/json"
        )
        done = response.status_code == 200
    submission.refresh_from_db()
    if who == "nina":
        assert done and submission.selection == "replicated_national"
    else:
        assert not done and (submission.state, submission.selection) == ("submitted", "")
        if who == "paul":
            assert response.status_code == 403
