"""Hostile submissions: oversized and disguised evidence, markup in every field, a flood of
submissions. Each is refused with a Chinese message, and nothing is half-stored: no demand
row, no attachment row, no file left in storage."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.attachments import samples
from zimao.attachments.models import DemandAttachment
from zimao.audit.models import AuditEvent
from zimao.demands import services
from zimao.demands.models import Demand

from .conftest import DEMAND

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "attachments"
    return (
        [p for p in root.rglob("*") if p.is_file() and p.name != ".lock"] if root.exists() else []
    )


def nothing_stored() -> bool:
    return (
        not Demand.objects.exists()
        and not DemandAttachment.objects.exists()
        and not AuditEvent.objects.filter(record_type="demands.demand").exists()
        and stored_files() == []
    )


def submit(firm, files=(), **changes):
    return services.demand_submit(
        user=firm.user, enterprise=firm, files=list(files), **(DEMAND | changes)
    )


def test_an_oversized_file_is_refused_naming_the_limit(firms, settings):
    settings.ATTACHMENT_MAX_MB = 1
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError, match="不能超过 1 MB"):
        submit(firms["eve"], files=[("报告.pdf", big)])
    assert nothing_stored()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("截图.png", samples.HTML, "HTML"),
        ("说明.txt", samples.EICAR, "病毒"),
        ("报表.pdf", b"MZ\x90\x00" + b"\x00" * 200, "程序"),
    ],
)
def test_a_disguised_file_is_refused_by_its_content(firms, name, data, says):
    with pytest.raises(ValidationError) as refused:
        submit(firms["eve"], files=[(name, data)])
    assert says in " ".join(refused.value.messages)
    assert nothing_stored()


def test_a_bad_second_file_leaves_neither_the_demand_nor_the_first_file(firms):
    with pytest.raises(ValidationError):
        submit(firms["eve"], files=[("回执.pdf", samples.pdf()), ("截图.png", samples.HTML)])
    assert nothing_stored()


def test_a_failure_after_the_first_file_is_written_removes_it(firms, monkeypatch):
    """The second file passes the checks but its row cannot be written: the first file's row
    and bytes go with the demand."""
    from zimao.attachments import services as attachments

    real = attachments.attachment_add
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise ValidationError("存储失败")
        return real(**kwargs)

    monkeypatch.setattr(attachments, "attachment_add", second_fails)
    with pytest.raises(ValidationError):
        submit(firms["eve"], files=[("回执.pdf", samples.pdf()), ("表.png", samples.png())])
    assert nothing_stored()


@pytest.mark.parametrize("field", list(DEMAND))
def test_markup_in_any_field_is_refused(firms, field):
    with pytest.raises(ValidationError) as refused:
        submit(firms["eve"], **{field: f"{DEMAND[field][:20]}{SCRIPT}"})
    assert field in refused.value.message_dict
    assert "网页标记或脚本" in refused.value.message_dict[field][0]
    assert nothing_stored()


def test_the_form_refuses_markup_in_every_field_and_shows_it_escaped(firms):
    client = Client()
    client.force_login(firms["eve"].user)
    hostile = {key: f"{value[:10]}{SCRIPT}" for key, value in DEMAND.items()}
    response = client.post("/demands/new/", hostile)
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count("网页标记或脚本") >= 1
    assert SCRIPT not in body  # what was typed comes back escaped
    assert nothing_stored()
    register = Client().post(
        "/demands/register/",
        {"name": SCRIPT, "credit_code": SCRIPT, "username": "x" + SCRIPT, "email": SCRIPT},
    )
    assert register.status_code == 400 and SCRIPT not in register.content.decode()


def test_a_hundred_submissions_in_a_minute_are_held_to_the_hourly_rate(firms, settings):
    settings.DEMAND_RATE = 10
    client = Client()
    client.force_login(firms["eve"].user)
    statuses = [
        client.post("/demands/new/", DEMAND | {"title": f"退货出区第{n}次申报"}).status_code
        for n in range(100)
    ]
    assert statuses.count(302) == 10 and statuses.count(429) == 90
    assert Demand.objects.count() == 10
    refused = client.post("/demands/new/", DEMAND)
    assert "每小时最多提交 10 条" in refused.content.decode()
    api = client.post("/api/demands", DEMAND, content_type="application/json")
    assert api.status_code == 422 and "提交过于频繁" in api.json()["detail"]
    other = Client()
    other.force_login(firms["mallory"].user)  # another account has its own allowance
    assert other.post("/demands/new/", DEMAND).status_code == 302


def test_an_evidence_file_with_a_disguise_is_refused_through_the_form(firms):
    client = Client()
    client.force_login(firms["eve"].user)
    disguised = SimpleUploadedFile("照片.jpg", samples.HTML, content_type="image/jpeg")
    response = client.post("/demands/new/", DEMAND | {"evidence": disguised})
    assert response.status_code == 400 and "HTML" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("version", ["9223372036854775808", "abc", "", "\x00", "-1"])
def test_a_hostile_version_is_refused_not_an_error(cast, firms, version):
    from zimao.demands.models import Enterprise

    client = Client()
    client.force_login(cast.ada)
    ursula = firms["ursula"]
    response = client.post(f"/demands/enterprises/{ursula.pk}/verify/", {"version": version})
    assert response.status_code in (302, 400)
    assert not Enterprise.objects.get(pk=ursula.pk).verified
    demand = submit(firms["eve"])
    for step in ("publish", "triage", "assign", "rate", "promote", "escalate"):
        answer = client.post(f"/demands/{demand.pk}/{step}/", {"version": version, "public": "1"})
        assert answer.status_code in (302, 400), step
    assert Demand.objects.get(pk=demand.pk).version == 1


def registration(n: int) -> dict[str, object]:
    from zimao.zones.models import Zone

    from .conftest import credit_code

    return {
        "username": f"firm{n}",
        "password": f"pw-firm{n}-Strong-123",
        "email": f"firm{n}@firm.example.cn",
        "name": f"第{n}贸易有限公司",
        "credit_code": credit_code(100 + n),
        "zone": Zone.objects.get(code="guangdong").pk,
        "contact_name": "王经理",
    }


def registered() -> dict[str, object]:
    from zimao.accounts.models import User
    from zimao.demands.models import Enterprise, RegistrationAttempt

    return {
        "users": set(User.objects.values_list("username", flat=True)),
        "firms": set(Enterprise.objects.values_list("credit_code", flat=True)),
        "events": AuditEvent.objects.filter(record_type="demands.enterprise").count(),
        "attempts": RegistrationAttempt.objects.count(),
    }


def test_self_registration_is_held_to_an_hourly_allowance_per_client_address(cast, settings):
    settings.REGISTER_RATE_PER_IP, settings.REGISTER_RATE = 3, 100
    flood = Client(REMOTE_ADDR="203.0.113.7")
    first = [flood.post("/demands/register/", registration(n)).status_code for n in range(2)]
    assert first == [302, 302]
    bad = registration(2) | {"credit_code": "91350100M000100Y44"}  # a wrong check character
    assert flood.post("/demands/register/", bad).status_code == 400  # counts as an attempt
    before = registered()
    refused = flood.post("/demands/register/", registration(3))
    assert refused.status_code == 429
    assert "同一网络地址每小时最多提交 3 次注册" in refused.content.decode()
    assert registration(3)["username"] not in refused.content.decode()  # nothing echoed
    assert registered() == before  # no account, enterprise, audit event or attempt stored
    assert {"firm0", "firm1"} <= before["users"] and before["attempts"] == 3
    other = Client(REMOTE_ADDR="198.51.100.9")  # another address has its own allowance
    assert other.post("/demands/register/", registration(3)).status_code == 302
    assert Client(REMOTE_ADDR="203.0.113.7").get("/demands/register/").status_code == 200


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(cast, settings):
    settings.REGISTER_RATE_PER_IP, settings.PROXY_COUNT = 1, 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    one = Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    two = Client(HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert one.post("/demands/register/", registration(0)).status_code == 302
    assert two.post("/demands/register/", registration(1)).status_code == 302
    assert one.post("/demands/register/", registration(2)).status_code == 429


def test_the_whole_site_accepts_at_most_so_many_new_enterprise_accounts_an_hour(cast, settings):
    settings.REGISTER_RATE_PER_IP, settings.REGISTER_RATE = 100, 2
    statuses = [
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post("/demands/register/", registration(n))
        for n in range(3)
    ]
    assert [r.status_code for r in statuses] == [302, 302, 429]
    assert "本站每小时最多受理 2 个企业注册" in statuses[2].content.decode()
    assert len(registered()["firms"]) == 2


def test_an_hour_later_an_address_may_register_again(cast, settings):
    from datetime import UTC, datetime, timedelta

    settings.REGISTER_RATE_PER_IP = 2
    start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    for minute in (0, 30):
        services.registration_attempt("203.0.113.7", now=start + timedelta(minutes=minute))
    with pytest.raises(services.TooFrequent, match="每小时最多提交 2 次"):
        services.registration_attempt("203.0.113.7", now=start + timedelta(minutes=59))
    services.registration_attempt("203.0.113.7", now=start + timedelta(minutes=61))
    from zimao.demands.models import RegistrationAttempt

    assert "203.0.113.7" not in str(list(RegistrationAttempt.objects.values_list("address")))
