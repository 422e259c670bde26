"""The stress-test record on a measure's page, on editions written for the test: a measure
the FTZ list dropped while the national list kept it, tested by an innovation and a
replication item, and dropped nationally in a later edition."""

import pytest
from django.test import Client

from tests.factories import make_innovation
from zimao.alignment.models import StressTest
from zimao.alignment.services import stress_test_save
from zimao.audit.models import AuditEvent
from zimao.opening.models import Edition, Measure, Sector
from zimao.replication.models import ReplicationItem

pytestmark = pytest.mark.django_db
TOPIC = "test-ship-agency"
TEXT = "测试用：船舶代理须由中方控股。"


@pytest.fixture
def editions():
    """National 2030 holds the measure; FTZ 2030 (complete) no longer does; national 2032
    (complete) follows."""
    sector = Sector.objects.get(code="G")

    def edition(code: str, scope: str, year: int, day: str, holds: bool) -> Edition:
        made = Edition.objects.create(
            code=code, family="foreign_investment", scope=scope, year=year,
            title=f"测试清单{code}", effective_date=day, measures=1 if holds else 0,
            status="complete", source="测试数据",
        )  # fmt: skip
        if holds:
            Measure.objects.create(
                edition=made, seq=1, topic=TOPIC, sector=sector, text=TEXT, kind="restricted",
                restrictions="chinese_control", source="测试数据",
            )  # fmt: skip
        return made

    return [
        edition("test-national-2030", "national", 2030, "2030-01-01", True),
        edition("test-ftz-2030", "ftz", 2030, "2030-06-01", False),
        edition("test-national-2032", "national", 2032, "2032-01-01", False),
    ]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_marks_a_measure_the_ftz_list_opened_first(editions):
    page = Client().get(f"/opening/measures/{TOPIC}/").content.decode()
    assert "试点在前、推广在后" in page and TEXT in page
    assert page.index("测试清单test-national-2030") < page.index("测试清单test-ftz-2030")
    assert "该版本已不再列出此措施" in page
    assert "尚无压力测试记录" in page


def test_the_national_office_records_the_stress_test_and_the_timeline_shows_it(editions, cast):
    innovation = make_innovation("船舶代理外资准入试点", "guangdong", published=True)
    item = ReplicationItem.objects.order_by("code").first()
    response = signed_in(cast.nina).post(
        f"/opening/measures/{TOPIC}/",
        {"national_edition": "test-national-2032", "innovations": [innovation.pk],
         "items": [item.code], "summary": "自贸试验区先行取消中方控股要求"},
    )  # fmt: skip
    assert response.status_code == 302
    record = StressTest.objects.get(topic=TOPIC)
    assert record.national_edition.code == "test-national-2032"
    assert list(record.innovations.all()) == [innovation] and list(record.items.all()) == [item]
    assert AuditEvent.objects.filter(record_type="alignment.stresstest").count() == 1
    page = Client().get(f"/opening/measures/{TOPIC}/").content.decode()
    for words in ("船舶代理外资准入试点", item.title, "开放措施推广至全国", "自贸试验区先行取消"):
        assert words in page
    assert page.index("测试清单test-ftz-2030") < page.index("开放措施推广至全国")


def test_a_hidden_innovation_stays_hidden_on_the_timeline(editions, cast):
    draft = make_innovation("未公开的船舶代理草案", "guangdong")
    stress_test_save(user=cast.nina, topic=TOPIC, innovations=[draft])
    assert (
        "未公开的船舶代理草案"
        in signed_in(cast.zoe).get(f"/opening/measures/{TOPIC}/").content.decode()
    )
    for who in (Client(), signed_in(cast.otto)):
        assert "未公开的船舶代理草案" not in who.get(f"/opening/measures/{TOPIC}/").content.decode()


def test_only_the_national_office_records_a_stress_test(editions, cast):
    response = signed_in(cast.zoe).post(f"/opening/measures/{TOPIC}/", {"summary": "越权"})
    assert response.status_code == 403 and not StressTest.objects.exists()
    page = signed_in(cast.zoe).get(f"/opening/measures/{TOPIC}/").content.decode()
    assert "stress-form" not in page


def test_a_stale_form_is_refused_and_bad_choices_are_explained(editions, cast):
    stress_test_save(user=cast.nina, topic=TOPIC, summary="第一版")
    client = signed_in(cast.nina)
    stale = client.post(f"/opening/measures/{TOPIC}/", {"summary": "第二版", "version": 0})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    bad = client.post(
        f"/opening/measures/{TOPIC}/",
        {"national_edition": "nope", "innovations": ["abc"], "version": 1},
    )
    body = bad.content.decode()
    assert bad.status_code == 400 and "没有该全国版清单" in body and "无效" in body
    assert StressTest.objects.get(topic=TOPIC).summary == "第一版"


def test_an_unknown_measure_is_not_found():
    assert Client().get("/opening/measures/no-such-topic/").status_code == 404
