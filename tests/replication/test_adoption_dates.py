"""Adoption dates: typed the way offices write them, and a landing (已落地) never dated after
today. Dates here are relative to the local date read at run time, never fixed calendar days."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import person
from zimao.accounts.models import Role
from zimao.lib.forms import DayField, parse_partial_date
from zimao.replication.models import Adoption
from zimao.replication.selectors import items_expected_of
from zimao.replication.services import adoption_set
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return person("zoe", Role.ZONE, zone=Zone.objects.get(code="henan"))


@pytest.fixture
def item():
    henan = Zone.objects.get(code="henan")
    return items_expected_of(henan.code, henan.province).first()


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2024-03-15", "2024-03-15"),
        ("2024/3/15", "2024-03-15"),
        ("2024.3.15", "2024-03-15"),
        ("2024年3月15日", "2024-03-15"),
        (" 2024 年 3 月 15 日 ", "2024-03-15"),
        ("２０２４／３／１５", "2024-03-15"),
        ("2024年3月", "2024-03"),
        ("2024/3", "2024-03"),
        ("2024", "2024"),
        ("", ""),
    ],
)
def test_the_common_chinese_forms_are_read(typed, iso):
    assert parse_partial_date(typed) == iso


@pytest.mark.parametrize("typed", ["2024/2/30", "2024年13月1日", "三月十五日", "15/3/2024"])
def test_what_is_not_a_date_is_refused_in_chinese(typed):
    with pytest.raises(ValidationError) as caught:
        parse_partial_date(typed)
    assert any("日期" in m or "月份" in m for m in caught.value.messages)


def test_the_plain_date_field_is_a_picker_that_reads_typed_forms():
    field = DayField()
    assert 'type="date"' in field.widget.render("day", None)
    assert field.clean("2024年3月15日").isoformat() == "2024-03-15"
    with pytest.raises(ValidationError):
        field.clean("2024年3月")


def test_a_landing_dated_after_today_is_refused(office, item):
    henan = Zone.objects.get(code="henan")
    later = (timezone.localdate() + timedelta(days=40)).isoformat()
    with pytest.raises(ValidationError) as caught:
        adoption_set(user=office, item=item, zone=henan, status="adopted", date=later)
    assert "不能晚于今天" in " ".join(caught.value.messages)
    assert not Adoption.objects.filter(item=item, zone=henan).exists()
    next_year = str(timezone.localdate().year + 1)
    with pytest.raises(ValidationError):
        adoption_set(user=office, item=item, zone=henan, status="adopted", date=next_year)
    planned = adoption_set(user=office, item=item, zone=henan, status="in_progress", date=later)
    assert planned.date == later  # work under way may name a target date


def test_a_landing_today_or_earlier_is_kept_in_iso_form(office, item):
    henan = Zone.objects.get(code="henan")
    today = timezone.localdate()
    typed = f"{today.year}年{today.month}月{today.day}日"
    adoption = adoption_set(user=office, item=item, zone=henan, status="adopted", date=typed)
    assert adoption.date == today.isoformat()


def test_the_adoption_page_reads_slashes_and_refuses_the_future(client, office, item):
    henan = Zone.objects.get(code="henan")
    client.force_login(office)
    url = f"/replication/items/{item.code}/adoption/"
    later = timezone.localdate() + timedelta(days=400)
    refused = client.post(
        url,
        {"zone": henan.pk, "status": "adopted", "date": f"{later.year}/{later.month}/{later.day}"},
    )
    assert refused.status_code == 400 and "不能晚于今天" in refused.content.decode()
    assert not Adoption.objects.filter(item=item, zone=henan).exists()
    earlier = timezone.localdate() - timedelta(days=400)
    typed = f"{earlier.year}/{earlier.month}/{earlier.day}"
    accepted = client.post(url, {"zone": henan.pk, "status": "adopted", "date": typed})
    assert accepted.status_code == 302
    assert Adoption.objects.get(item=item, zone=henan).date == earlier.isoformat()
