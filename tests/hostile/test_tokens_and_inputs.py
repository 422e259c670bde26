"""One-time tokens bound to their maker and record type; page parameters bounded."""

import pytest
from django.test import Client

from tests.factories import make_innovation
from zimao.reforms.models import Innovation
from zimao.reports.models import ReportDraft
from zimao.reports.services import report_draft_save

pytestmark = pytest.mark.django_db

TOKEN = "c0ffee" * 5


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_innovation(client: Client, title: str, zone: str) -> object:
    body = {"title": title, "zone": zone, "mechanism": f"{title}的做法", "token": TOKEN}
    return client.post("/api/innovations", body, content_type="application/json")


def test_another_users_token_does_not_return_their_draft(cast):
    first = _post_innovation(_client(cast.zoe), "甲区保密草案", "guangdong")
    assert first.status_code == 201
    again = _post_innovation(_client(cast.zoe), "甲区保密草案", "guangdong")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    stolen = _post_innovation(_client(cast.otto), "乙区草案", "sichuan")
    assert stolen.status_code == 409
    assert "甲区保密草案" not in stolen.content.decode()
    assert "已经提交过" in stolen.json()["detail"]
    assert not Innovation.objects.filter(title="乙区草案").exists()


def test_a_token_reused_for_another_record_type_is_a_conflict_not_a_500(cast):
    assert _post_innovation(_client(cast.zoe), "粤创新", "guangdong").status_code == 201
    innovation = make_innovation("粤成效对象")
    client = _client(cast.zoe)
    effect = client.post(
        f"/reforms/innovations/{innovation.pk}/effects/",
        {"measure": "通关时间", "before": "72", "after": "37", "unit": "小时", "token": TOKEN},
    )
    assert effect.status_code == 409
    assert "已经提交过" in effect.content.decode()
    report = client.post(
        "/reports/new/",
        {"kind": "annual", "subject": "zone:guangdong", "year": "2023", "token": TOKEN},
    )
    assert report.status_code == 409
    assert not ReportDraft.objects.exists()


@pytest.fixture
def draft(cast):
    return report_draft_save(
        user=cast.nina,
        kind=ReportDraft.Kind.ANNUAL,
        title="年度报告",
        subject="zone:guangdong",
        year=2023,
    )


@pytest.mark.parametrize(
    "field", [{"version": "abc"}, {"index_version": "abc"}, {"version": "9" * 30}]
)
def test_report_edit_with_a_broken_number_is_refused_and_nothing_saved(cast, draft, field):
    response = _client(cast.nina).post(f"/reports/{draft.pk}/", {"title": "改后"} | field)
    assert response.status_code == 400
    assert "表单数据无效" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "年度报告"


@pytest.mark.parametrize("year", [str(2**63), "-5", "abc", "1800"])
def test_a_report_year_out_of_range_is_a_form_error(cast, year):
    response = _client(cast.nina).post(
        "/reports/new/", {"kind": "annual", "subject": "zone:guangdong", "year": year}
    )
    assert response.status_code == 400
    assert "年份无效" in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_adoption_form_for_a_user_without_adoption_scope_is_refused_not_500(cast):
    from zimao.replication.models import Adoption
    from zimao.zones.models import Zone

    zone = Zone.objects.get(code="sichuan")  # looked up: no test assumes an id
    response = _client(cast.rita).post(
        "/replication/items/2019-investment-01/adoption/",
        {"status": "adopted", "zone": str(zone.pk)},
    )
    assert response.status_code == 400
    assert not Adoption.objects.filter(item__code="2019-investment-01", zone=zone).exists()


def test_adoption_form_with_a_bad_zone_names_the_field(cast):
    response = _client(cast.zoe).post(
        "/replication/items/2019-investment-01/adoption/",
        {"status": "adopted", "zone": "9223372036854775808"},
    )
    assert response.status_code == 400
