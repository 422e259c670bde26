"""A demand's whole path through the services: registration and verification, submission
with evidence, triage, routing to departments with deadlines, answers, satisfaction, powers
taken up to the province, promotion to an innovation, and the measures over all of it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.attachments import samples
from zimao.attachments.models import DemandAttachment
from zimao.audit.models import AuditEvent
from zimao.demands import selectors, services
from zimao.demands.creditcode import check_credit_code
from zimao.demands.models import Assignment, AuthorityRequest, Demand, Enterprise

from .conftest import DEMAND, contact, credit_code, register

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def submit(firm: Enterprise, user=None, **changes) -> Demand:
    return services.demand_submit(user=user or firm.user, enterprise=firm, **(DEMAND | changes))


def test_the_credit_code_check_character_follows_gb_32100():
    assert check_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    for wrong, says in [
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100Y4", "18 位"),
        ("91350100M0001O0Y43", "不允许的字符"),
        ("913501A0M000100Y43", "行政区划"),
    ]:
        with pytest.raises(ValidationError) as refused:
            check_credit_code(wrong)
        assert says in str(refused.value)


def test_a_registered_enterprise_cannot_submit_until_its_office_verifies_it(cast):
    firm = register("ursula", 7)
    assert not firm.verified
    with pytest.raises(ValidationError, match="尚未核验"):
        submit(firm)
    with pytest.raises(PermissionDenied):  # another zone's office
        services.enterprise_verify(user=cast.otto, enterprise=firm, version=firm.version)
    with pytest.raises(PermissionDenied):  # the enterprise itself
        services.enterprise_verify(user=firm.user, enterprise=firm, version=firm.version)
    services.enterprise_verify(user=cast.zoe, enterprise=firm, version=firm.version)
    firm.refresh_from_db()
    assert firm.verified and firm.verified_by == cast.zoe
    event = AuditEvent.objects.get(record_type="demands.enterprise", action="verify")
    assert event.actor == cast.zoe
    assert submit(firm).status == Demand.Status.SUBMITTED
    with pytest.raises(ValidationError, match="已经登记"):
        register("ursula2", 7)


def test_an_office_submits_on_behalf_of_an_enterprise_it_entered(cast):
    from zimao.zones.models import Zone

    firm = services.enterprise_add(
        user=cast.zoe,
        name="粤港物流有限公司",
        credit_code=credit_code(11),
        zone=Zone.objects.get(code="guangdong"),
    )
    assert firm.verified and firm.user is None
    demand = submit(firm, user=cast.zoe)
    assert demand.submitted_by == cast.zoe
    with pytest.raises(PermissionDenied):
        submit(firm, user=cast.otto)


def test_the_path_from_submission_to_answer_is_audited_and_shown_to_the_submitter(
    cast, firms, departments, settings
):
    settings.TODAY = TODAY
    eve = firms["eve"]
    demand = services.demand_submit(
        user=eve.user, enterprise=eve, files=[("海关回执.pdf", samples.pdf())], **DEMAND
    )
    assert DemandAttachment.objects.get(target=demand).kind == "pdf"
    with pytest.raises(PermissionDenied):  # the enterprise cannot triage its own demand
        services.demand_accept(user=eve.user, demand=demand, version=demand.version)
    with pytest.raises(PermissionDenied):  # nor can another zone
        services.demand_accept(user=cast.otto, demand=demand, version=demand.version)
    demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
    with pytest.raises(ValidationError, match="部门名录"):
        services.demand_assign(
            user=cast.ada,
            demand=demand,
            version=demand.version,
            units=[(departments["sichuan"], TODAY)],
        )
    demand = services.demand_assign(
        user=cast.ada,
        demand=demand,
        version=demand.version,
        units=[
            (departments["dora"], TODAY + timedelta(days=10)),
            (departments["dan"], TODAY - timedelta(days=3)),
        ],
    )
    assert demand.status == Demand.Status.ASSIGNED
    commerce = Assignment.objects.get(demand=demand, unit=departments["dora"])
    customs = Assignment.objects.get(demand=demand, unit=departments["dan"])
    assert commerce.contact == contact("dora")

    due = selectors.deadlines(cast.ada, TODAY)
    assert [a.unit.name for a, _days in due.overdue] == ["深圳海关"]
    assert [(a.unit.name, days) for a, days in due.due_soon] == [("深圳市商务局", 10)]
    assert selectors.deadlines(cast.otto, TODAY).overdue_count == 0
    assert selectors.deadlines(contact("dora"), TODAY).overdue_count == 0  # only its own

    with pytest.raises(PermissionDenied):  # one department cannot answer for the other
        services.assignment_answer(
            user=contact("dora"), assignment=customs, version=customs.version, answer="同意"
        )
    services.assignment_answer(
        user=contact("dora"),
        assignment=commerce,
        version=commerce.version,
        answer="已研究，支持集中申报试点。",
    )
    demand.refresh_from_db()
    assert demand.status == Demand.Status.ASSIGNED  # customs has not answered yet
    services.assignment_answer(
        user=contact("dan"), assignment=customs, version=customs.version, answer="按季度汇总征税。"
    )
    demand.refresh_from_db()
    assert demand.status == Demand.Status.ANSWERED and demand.answered_at is not None

    with pytest.raises(PermissionDenied):
        services.demand_rate(
            user=firms["mallory"].user, demand=demand, version=demand.version, rating=5
        )
    with pytest.raises(ValidationError):
        services.demand_rate(user=eve.user, demand=demand, version=demand.version, rating=6)
    demand = services.demand_rate(user=eve.user, demand=demand, version=demand.version, rating=4)
    assert demand.rating == 4

    statuses = list(demand.steps.values_list("status", flat=True))
    assert statuses[0] == "submitted" and "accepted" in statuses and statuses.count("answered") >= 1
    actions = set(
        AuditEvent.objects.filter(
            record_type="demands.demand", record_id=str(demand.pk)
        ).values_list("action", flat=True)
    )
    assert {"submit", "status:accepted", "status:assigned", "status:answered"} <= actions
    assert AuditEvent.objects.filter(record_type="demands.assignment", action="answer").count() == 2


def test_reject_needs_a_reason_and_merge_stays_in_the_zone(cast, firms):
    first = submit(firms["eve"])
    second = submit(firms["mallory"], title="退货仓出区申报太慢")
    with pytest.raises(ValidationError, match="请填写"):
        services.demand_reject(user=cast.ada, demand=first, version=first.version, reason=" ")
    with pytest.raises(ValidationError):
        services.demand_merge(user=cast.ada, demand=second, version=second.version, into=second)
    merged = services.demand_merge(user=cast.ada, demand=second, version=second.version, into=first)
    assert merged.status == Demand.Status.MERGED and merged.merged_into == first
    rejected = services.demand_reject(
        user=cast.zoe, demand=first, version=first.version, reason="已有政策可以解决"
    )
    assert rejected.reason == "已有政策可以解决"


def test_a_power_goes_to_the_province_which_answers_it(cast, firms):
    demand = submit(firms["eve"])
    demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
    with pytest.raises(PermissionDenied):
        services.authority_request_create(
            user=firms["eve"].user, demand=demand, level="provincial", power="x", request="y"
        )
    item = services.authority_request_create(
        user=cast.zoe,
        demand=demand,
        level="provincial",
        power="跨境电商退货汇总征税审批权",
        request="请省里授权片区试行汇总征税。",
    )
    assert item.zone.code == "guangdong" and item.status == AuthorityRequest.Status.OPEN
    assert not services.may_answer_authority(cast.otto, item)
    assert not services.may_answer_authority(cast.zoe, item)
    with pytest.raises(PermissionDenied):
        services.authority_answer(
            user=cast.otto, item=item, version=item.version, status="granted", answer="同意"
        )
    item = services.authority_answer(
        user=cast.paul,
        item=item,
        version=item.version,
        status="granted",
        answer="同意在片区先行试点。",
    )
    assert item.status == "granted" and item.answered_by == cast.paul
    national = services.authority_request_create(
        user=cast.zoe,
        demand=demand,
        level="national",
        power="海关监管方式调整",
        request="请国家层面支持。",
    )
    assert not services.may_answer_authority(cast.paul, national)  # a national power
    assert services.may_answer_authority(cast.nina, national)
    counts = selectors.open_requests_by_zone_and_field(cast.nina)
    assert [(c["zone__code"], c["n"]) for c in counts] == [("guangdong", 1)]


def test_a_demand_group_becomes_an_innovation_linked_both_ways(cast, firms):
    lead = submit(firms["eve"])
    other = submit(firms["mallory"], title="退货出区申报次数多")
    other = services.demand_merge(user=cast.ada, demand=other, version=other.version, into=lead)
    with pytest.raises(ValidationError, match="已受理"):
        services.demand_promote(user=cast.ada, demand=lead, title="退货集中申报")
    lead = services.demand_accept(user=cast.ada, demand=lead, version=lead.version)
    with pytest.raises(PermissionDenied):
        services.demand_promote(user=firms["eve"].user, demand=lead, title="退货集中申报")
    innovation = services.demand_promote(user=cast.ada, demand=lead, title="跨境电商退货集中申报")
    assert innovation.zone.code == "guangdong" and innovation.area == lead.area
    assert set(innovation.demands.values_list("pk", flat=True)) == {lead.pk, other.pk}
    assert "退货商品集中申报" not in innovation.title and DEMAND["change"] in innovation.mechanism
    assert list(selectors.demands_of_innovation(firms["eve"].user, innovation)) == [lead]
    with pytest.raises(ValidationError, match="已转化"):
        services.demand_promote(user=cast.ada, demand=Demand.objects.get(pk=lead.pk), title="再转")


def test_measures_per_zone_and_department(cast, firms, departments, settings):
    settings.TODAY = TODAY
    demand = submit(firms["eve"])
    demand = services.demand_accept(user=cast.ada, demand=demand, version=demand.version)
    demand = services.demand_assign(
        user=cast.ada,
        demand=demand,
        version=demand.version,
        units=[(departments["dora"], date(2999, 1, 1)), (departments["dan"], date(2000, 1, 1))],
    )
    for assignment in demand.assignments.all():
        services.assignment_answer(
            user=cast.ada, assignment=assignment, version=assignment.version, answer="已办理"
        )
    demand.refresh_from_db()
    services.demand_rate(user=firms["eve"].user, demand=demand, version=demand.version, rating=5)
    submit(firms["mallory"])  # still waiting
    [zone] = selectors.measures_by_zone(cast.zoe)
    assert (zone.key, zone.demands, zone.answered) == ("guangdong", 2, 1)
    assert zone.resolved_share == 100.0  # of the accepted ones
    assert zone.on_time_share == 50.0 and zone.satisfaction == 5
    by_unit = {m.label.split(" · ")[1]: m for m in selectors.measures_by_department(cast.zoe)}
    assert by_unit["深圳市商务局"].on_time_share == 100.0
    assert by_unit["深圳海关"].on_time_share == 0.0
    assert selectors.measures_by_zone(cast.otto) == []


def test_similar_demands_are_found_among_those_the_reader_may_see(cast, firms):
    first = submit(firms["eve"])
    submit(
        firms["mallory"],
        title="化妆品进口备案时间长",
        problem="备案周期长",
        blocker="进口非特殊用途化妆品备案规定",
        change="缩短备案时限",
        industry="生物医药",
    )
    near = submit(firms["mallory"], title="跨境电商退货仓出区申报繁琐")
    found = selectors.similar_demands(cast.ada, first)
    assert found[0].url == near.get_absolute_url()
    assert selectors.similar_demands(firms["eve"].user, first) == []  # not others' demands
