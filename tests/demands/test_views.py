"""The demand pages and API as each party uses them: registration, the submission form with
evidence, the office's triage and routing, the department's answer, the enterprise's rating,
and what each one may and may not see."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.attachments import samples
from zimao.attachments.models import DemandAttachment
from zimao.demands import services
from zimao.demands.models import Assignment, AuthorityRequest, Demand, Enterprise
from zimao.zones.models import Area, Zone

from .conftest import DEMAND, contact, credit_code

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_wrong_check(code: str) -> str:
    return code[:-1] + ("1" if code[-1] == "0" else "0")


def submit(firm, **changes) -> Demand:
    return services.demand_submit(user=firm.user, enterprise=firm, **(DEMAND | changes))


def test_an_enterprise_registers_and_waits_for_verification():
    client = Client()
    zone = Zone.objects.get(code="guangdong")
    area = Area.objects.get(zone=zone, name_zh="前海蛇口片区")
    form = {
        "name": "前海跨境供应链有限公司",
        "credit_code": with_wrong_check(credit_code(21)),
        "zone": zone.pk,
        "area": area.pk,
        "contact_name": "李经理",
        "username": "qhfirm",
        "email": "qh@firm.example.cn",
        "password": "Qianhai-firm-2026",
    }
    refused = client.post("/demands/register/", form)
    assert refused.status_code == 400 and "校验位" in refused.content.decode()
    assert not Enterprise.objects.exists()
    form["credit_code"] = credit_code(21)
    response = client.post("/demands/register/", form)
    assert response.status_code == 302
    firm = Enterprise.objects.get(credit_code=credit_code(21))
    assert firm.user.username == "qhfirm" and not firm.verified
    page = client.get("/demands/new/")
    assert "尚未核验" in page.content.decode()
    blocked = client.post("/demands/new/", DEMAND)
    assert blocked.status_code == 400 and "尚未核验" in blocked.content.decode()
    assert not Demand.objects.exists()


def test_the_area_office_verifies_triages_and_routes(cast, firms, departments, settings):
    settings.TODAY = TODAY
    ada = client_of(cast.ada)
    waiting = ada.get("/demands/enterprises/").content.decode()
    assert firms["ursula"].name in waiting and firms["eve"].name not in waiting
    ada.post(
        f"/demands/enterprises/{firms['ursula'].pk}/verify/", {"version": firms["ursula"].version}
    )
    assert Enterprise.objects.get(pk=firms["ursula"].pk).verified

    eve = client_of(firms["eve"].user)
    evidence = SimpleUploadedFile("单证.pdf", samples.pdf(), content_type="application/pdf")
    response = eve.post("/demands/new/", DEMAND | {"evidence": evidence})
    assert response.status_code == 302
    demand = Demand.objects.get(title=DEMAND["title"])
    assert DemandAttachment.objects.filter(target=demand).count() == 1

    page = ada.get(f"/demands/{demand.pk}/").content.decode()
    assert "triage-form" in page and firms["eve"].name in page
    ada.post(f"/demands/{demand.pk}/triage/", {"decision": "accept", "version": demand.version})
    demand.refresh_from_db()
    assert demand.status == "accepted"
    ada.post(
        f"/demands/{demand.pk}/assign/",
        {
            "units": [departments["dora"].pk, departments["dan"].pk],
            "due_date": (TODAY - timedelta(days=1)).isoformat(),
            "version": demand.version,
        },
    )
    assert Assignment.objects.filter(demand=demand).count() == 2
    bench = ada.get("/demands/workbench/").content.decode()
    assert "深圳海关" in bench and "逾期 1 天" in bench

    dora = client_of(contact("dora"))
    mine = Assignment.objects.get(demand=demand, unit=departments["dora"])
    other = Assignment.objects.get(demand=demand, unit=departments["dan"])
    assert dora.get(f"/demands/assignments/{other.pk}/").status_code == 404
    assert dora.get(f"/demands/{demand.pk}/").status_code == 404  # the demand is the office's
    answered = dora.post(
        f"/demands/assignments/{mine.pk}/", {"answer": "支持试点", "version": mine.version}
    )
    assert answered.status_code == 302
    assert Assignment.objects.get(pk=mine.pk).status == "answered"

    mine_page = eve.get(f"/demands/{demand.pk}/").content.decode()
    assert "支持试点" in mine_page and "triage-form" not in mine_page
    assert (
        eve.post(
            f"/demands/{demand.pk}/triage/", {"decision": "reject", "reason": "x", "version": 5}
        ).status_code
        == 302
    )
    assert Demand.objects.get(pk=demand.pk).status == "assigned"  # refused, unchanged


def test_enterprises_see_only_their_own_demands(cast, firms):
    mine = submit(firms["eve"], title="甲企业的保密诉求")
    theirs = submit(firms["mallory"], title="乙企业的保密诉求")
    eve = client_of(firms["eve"].user)
    listing = eve.get("/demands/").content.decode()
    assert "甲企业的保密诉求" in listing and "乙企业的保密诉求" not in listing
    assert eve.get(f"/demands/{theirs.pk}/").status_code == 404
    assert eve.get(f"/api/demands/{theirs.pk}").status_code == 404
    api = eve.get("/api/demands").json()
    assert [d["id"] for d in api["items"]] == [mine.pk]
    assert Client().get(f"/demands/{mine.pk}/").status_code == 404
    assert client_of(cast.otto).get(f"/demands/{mine.pk}/").status_code == 404
    assert client_of(cast.rita).get("/demands/workbench/").status_code == 200


def test_a_published_answer_is_public_without_the_enterprise_name(cast, firms, departments):
    demand = submit(firms["eve"])
    demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
    demand = services.demand_assign(
        user=cast.ada, demand=demand, version=demand.version, units=[(departments["dora"], TODAY)]
    )
    assignment = demand.assignments.get()
    services.assignment_answer(
        user=contact("dora"), assignment=assignment, version=1, answer="已纳入集中申报试点"
    )
    demand.refresh_from_db()
    client_of(cast.ada).post(
        f"/demands/{demand.pk}/publish/", {"version": demand.version, "public": "1"}
    )
    page = Client().get(f"/demands/{demand.pk}/").content.decode()
    assert "已纳入集中申报试点" in page and firms["eve"].name not in page
    assert "单证" not in page and "attachments" not in page
    mallory = client_of(firms["mallory"].user).get(f"/demands/{demand.pk}/").content.decode()
    assert firms["eve"].name not in mallory


def test_the_api_submits_routes_and_answers(cast, firms, departments):
    eve = client_of(firms["eve"].user)
    created = eve.post("/api/demands", DEMAND, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    zoe = client_of(cast.zoe)
    refused = eve.post(
        f"/api/demands/{pk}/triage",
        {"version": 1, "decision": "accept"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    accepted = zoe.post(
        f"/api/demands/{pk}/triage",
        {"version": 1, "decision": "accept"},
        content_type="application/json",
    )
    assert accepted.json()["status"] == "accepted"
    routed = zoe.post(
        f"/api/demands/{pk}/assign",
        {"version": 2, "units": [{"unit": departments["dan"].pk, "due_date": "2026-07-01"}]},
        content_type="application/json",
    )
    assert routed.status_code == 200 and routed.json()["assignments"][0]["unit"] == "深圳海关"
    wrong = zoe.post(
        f"/api/demands/{pk}/assign",
        {"version": 3, "units": [{"unit": departments["sichuan"].pk, "due_date": "2026-07-01"}]},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "部门名录" in wrong.json()["detail"]
    assignment = Assignment.objects.get(demand_id=pk)
    answer = client_of(contact("dan")).post(
        f"/api/assignments/{assignment.pk}/answer",
        {"version": 1, "answer": "同意汇总征税"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "answered"
    rated = eve.post(
        f"/api/demands/{pk}/rate", {"version": 4, "rating": 5}, content_type="application/json"
    )
    assert rated.status_code == 200, rated.content
    assert rated.json()["rating"] == 5
    office = zoe.post(
        "/api/demands",
        DEMAND | {"enterprise": firms["mallory"].credit_code},
        content_type="application/json",
    )
    assert office.status_code == 201
    assert Demand.objects.get(pk=office.json()["id"]).enterprise == firms["mallory"]


def test_escalation_and_promotion_pages(cast, firms):
    demand = submit(firms["eve"])
    demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
    zoe = client_of(cast.zoe)
    zoe.post(
        f"/demands/{demand.pk}/escalate/",
        {"level": "provincial", "power": "退货汇总征税审批", "request": "请授权试点"},
    )
    item = AuthorityRequest.objects.get(demand=demand)
    paul = client_of(cast.paul)
    assert "authority-answer-form" in paul.get(f"/demands/powers/{item.pk}/").content.decode()
    assert "authority-answer-form" not in zoe.get(f"/demands/powers/{item.pk}/").content.decode()
    paul.post(f"/demands/powers/{item.pk}/", {"status": "granted", "answer": "同意", "version": 1})
    assert AuthorityRequest.objects.get(pk=item.pk).status == "granted"
    assert client_of(cast.otto).get(f"/demands/powers/{item.pk}/").status_code == 404

    response = zoe.post(f"/demands/{demand.pk}/promote/", {"title": "跨境电商退货集中申报"})
    demand.refresh_from_db()
    assert response.status_code == 302 and demand.innovation is not None
    page = zoe.get(f"/reforms/innovations/{demand.innovation.pk}/").content.decode()
    assert "innovation-demands" in page and DEMAND["title"] in page
    filtered = zoe.get("/reforms/innovations/?origin=demands").content.decode()
    assert "跨境电商退货集中申报" in filtered
    measures = zoe.get("/demands/measures/").content.decode()
    assert "measures-zones" in measures
    assert 'id="measures-indicators"' in measures and "不是官方统计" in measures


def test_an_innovation_asks_the_nation_for_a_power_and_the_nation_lists_it(cast):
    from tests.factories import make_innovation

    draft = make_innovation("前海跨境数据流动试点", domain="trade")
    zoe = client_of(cast.zoe)
    page = zoe.get(f"/reforms/innovations/{draft.pk}/").content.decode()
    assert "innovation-escalate" in page
    zoe.post(
        f"/demands/innovations/{draft.pk}/escalate/",
        {"level": "national", "power": "数据出境安全评估授权", "request": "请国家层面授权试点。"},
    )
    item = AuthorityRequest.objects.get(innovation=draft)
    assert (item.level, item.domain.code, item.zone.code) == ("national", "trade", "guangdong")
    assert (
        "authority-answer-form"
        not in client_of(cast.paul).get(f"/demands/powers/{item.pk}/").content.decode()
    )
    listing = client_of(cast.nina).get("/demands/powers/").content.decode()
    assert "open-by-zone" in listing and "数据出境安全评估授权" in listing
    refused = client_of(cast.otto).post(
        f"/demands/innovations/{draft.pk}/escalate/",
        {"level": "national", "power": "越权请求", "request": "越权"},
    )
    assert refused.status_code == 404
    assert not AuthorityRequest.objects.filter(power="越权请求").exists()


def test_the_administrator_names_a_department_contact_and_it_is_audited(cast, departments):
    from tests.factories import person
    from zimao.audit.models import AuditEvent
    from zimao.demands.models import DepartmentContact

    admin = person("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    newcomer = person("dina")
    response = client_of(admin).post(
        "/admin/demands/departmentcontact/add/",
        {"unit": departments["dora"].pk, "user": newcomer.pk},
    )
    assert response.status_code == 302
    assert DepartmentContact.objects.filter(unit=departments["dora"], user=newcomer).exists()
    assert AuditEvent.objects.filter(record_type="demands.departmentcontact").exists()


def test_evidence_through_the_api_is_the_enterprises_and_its_offices(cast, firms):
    demand = submit(firms["eve"])
    url = f"/api/attachments/demand/{demand.pk}"
    mine = client_of(firms["eve"].user).post(
        url, {"file": SimpleUploadedFile("补充.pdf", samples.pdf())}
    )
    assert mine.status_code == 201, mine.content
    assert [f["name"] for f in client_of(cast.ada).get(url).json()] == ["补充.pdf"]
    theirs = client_of(firms["mallory"].user).post(
        url, {"file": SimpleUploadedFile("冒充.pdf", samples.pdf())}
    )
    assert theirs.status_code == 404
    assert client_of(cast.rita).get(url).status_code == 404
    assert DemandAttachment.objects.filter(target=demand).count() == 1


def test_the_demand_schemas_do_not_shadow_another_apps_schemas(client):
    """OpenAPI components are named after their classes: the demand measures have their own."""
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "resolved_share" in schemas["DemandMeasureOut"]["properties"]
    assert "resolved_share" not in schemas["MeasureOut"]["properties"]
    # The alignment measures' schema has its own name too: the negative-list measure keeps its.
    assert "batch" in schemas["AlignmentMeasureOut"]["properties"]
    assert "topic" in schemas["MeasureOut"]["properties"]
