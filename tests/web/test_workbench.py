"""Each role's workbench: what it shows, for whom, and at a cost that does not grow with the
database."""

import pytest
from django.test import Client

from tests.factories import make_innovation, make_task, person
from tests.world import make_world
from zimao.accounts.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def page_of(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/workbench/")
    assert response.status_code == 200
    return response.content.decode()


def test_signing_in_lands_on_the_workbench_and_visitors_keep_the_home(client, cast):
    response = client.post(
        "/accounts/login/", {"username": "zoe", "password": "pw-zoe-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/workbench/"
    assert Client().get("/").status_code == 200
    assert Client().get("/workbench/")["Location"].startswith("/accounts/login/")


def test_a_zone_office_sees_its_rate_open_tasks_items_to_adopt_and_its_innovations(world):
    html = page_of(world.cast.zoe)
    assert "zoe · 自贸试验区工作机构 · 广东自贸试验区" in html
    assert 'id="wb-rate"' in html and "50%" in html and "已实施 2 项 / 应实施 4 项" in html
    assert "G-2 建设国际贸易单一窗口" in html and "G-1 推进企业开办" not in html  # done
    assert "应复制推广 65 项，尚未落地 64 项" in html
    assert "商事登记确认制改革" in html and "等待评审" in html
    assert "中欧班列运单物权化" not in html  # Sichuan's
    assert 'id="wb-waiting"' not in html and 'id="wb-downloads"' not in html


def test_an_area_office_sees_its_area_only(world):
    html = page_of(world.cast.ada)
    assert "ada · 片区管委会 · 前海蛇口片区（广东自贸试验区）" in html
    assert "已实施 1 项 / 应实施 2 项" in html  # G-3 and G-4 are the area's
    assert "G-4 开展跨境人民币结算便利化试点" in html and "G-2" not in html
    assert "前海跨境数据流动试点" in html and "商事登记确认制改革" not in html


def test_the_deciders_see_what_waits_for_them_and_the_zones_behind(world):
    nina, paul = page_of(world.cast.nina), page_of(world.cast.paul)
    for html in (nina, paul):
        assert 'id="wb-waiting"' in html and "商事登记确认制改革" in html
        assert 'id="wb-behind"' in html and 'id="wb-changes"' in html
    assert "在您负责的 22 个自贸试验区中" in nina
    assert "在您负责的 1 个自贸试验区中" in paul  # 广东省 has one zone
    assert "四川自贸试验区" in nina.split('id="wb-behind"')[1].split("</article>")[0]
    assert "已评分" in nina and "待评分" in paul  # nina scored it, paul has not
    assert "保存的检索：" not in nina  # someone's saved search is not news


def test_a_researcher_sees_documents_saved_searches_and_downloads(world):
    html = page_of(world.cast.rita)
    assert "前海通关改革简报" in html
    assert "单一窗口（广东）" in html and "/search/?q=" in html
    assert "?format=xlsx" in html and "/api/docs" in html
    assert 'id="wb-rate"' not in html and 'id="wb-waiting"' not in html


def test_an_account_without_a_role_is_told_so(cast):
    html = page_of(person("bob"))
    assert 'id="no-role"' in html and "bob · 未分配角色" in html


def test_the_workbench_costs_the_same_with_more_records(world, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.cast.nina)
    with django_assert_max_num_queries(60) as first:
        client.get("/workbench/")
    for i in range(30):
        make_innovation(f"追加成果{i}", state="submitted")
        make_task(f"X-{i}")
        Notification.objects.create(user=world.cast.nina, text=f"通知{i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/workbench/")


def test_a_notification_is_read_when_opened(world, client):
    paul = world.cast.paul
    unread = Notification.objects.get(user=paul, read_at=None)
    client.force_login(paul)
    assert "未读" in client.get("/accounts/notifications/").content.decode()
    response = client.get(f"/accounts/notifications/{unread.pk}/")
    assert response.status_code == 302 and response["Location"] == unread.url
    unread.refresh_from_db()
    assert unread.read_at is not None
    other = Notification.objects.create(user=world.cast.nina, text="不是你的")
    assert client.get(f"/accounts/notifications/{other.pk}/").status_code == 404
    Notification.objects.create(user=paul, text="新的通知")
    client.post("/accounts/notifications/read/")
    assert not Notification.objects.filter(user=paul, read_at=None).exists()


def test_a_saved_search_is_kept_run_and_deleted_by_its_owner_only(world, client):
    from zimao.audit.models import AuditEvent
    from zimao.search.models import SavedSearch

    zoe, rita = world.cast.zoe, world.cast.rita
    client.force_login(zoe)
    response = client.post(
        "/search/saved/", {"name": "我的检索", "query": "q=通关&zone=guangdong&evil=1"}
    )
    saved = SavedSearch.objects.get(user=zoe)
    assert saved.query == "q=%E9%80%9A%E5%85%B3&zone=guangdong"
    assert response["Location"] == saved.get_absolute_url()
    assert "我的检索" in page_of(zoe)
    assert AuditEvent.objects.filter(record_type="search.savedsearch", action="create").exists()
    theirs = SavedSearch.objects.get(user=rita)
    assert client.post(f"/search/saved/{theirs.pk}/delete/").status_code == 404
    blank = client.post("/search/saved/", {"name": "", "query": "q=x"}, follow=True)
    assert "这个字段是必填项" in blank.content.decode()
    client.post(f"/search/saved/{saved.pk}/delete/")
    assert not SavedSearch.objects.filter(user=zoe).exists() and SavedSearch.objects.count() == 1


def test_the_menu_offers_each_role_what_it_may_use(world):
    def menu(user) -> str:
        client = Client()
        if user is not None:
            client.force_login(user)
        html = client.get("/zones/").content.decode()
        return html.split('class="site-menu"')[1].split("</nav>")[0]

    public, rita, zoe, nina = (
        menu(u) for u in (None, world.cast.rita, world.cast.zoe, world.cast.nina)
    )
    assert "/documents/" not in public and "/audit/" not in public and "/workbench/" not in public
    assert "/documents/" in rita and "/reforms/shortlist/" not in rita
    assert "/audit/" in zoe and "/reforms/shortlist/" not in zoe
    assert "/reforms/shortlist/" in nina
    for html in (public, rita, zoe, nina):
        for path in ("/reforms/implementation/", "/replication/coverage/", "/api/docs"):
            assert path in html


def test_error_pages_say_what_happened_in_chinese(world, client, rf):
    from django.views.defaults import server_error

    client.force_login(world.cast.rita)
    refused = client.get("/reforms/innovations/new/")
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "无权访问此页面" in html and "返回工作台" in html
    assert "您没有可以新增制度创新成果的试验区或片区" in html
    assert client.get("/reforms/shortlist/").status_code == 403
    missing = client.get("/reforms/innovations/999999/")
    assert missing.status_code == 404 and "找不到该页面" in missing.content.decode()
    broken = server_error(rf.get("/"))
    assert broken.status_code == 500 and "服务器出错了" in broken.content.decode()


def test_recent_changes_print_effect_numbers_without_a_useless_decimal(cast):
    from zimao.reforms.services import effect_add

    innovation = make_innovation("企业开办一日办结", zone="guangdong")
    effect_add(
        user=cast.zoe, innovation=innovation, measure="开办时间", before=15.0, after=3.0, unit="天"
    )
    html = page_of(cast.nina)  # the deciders read the recent changes
    assert "开办时间 15 → 3 天" in html
    assert "15.0" not in html and "3.0 天" not in html


def test_zones_without_data_are_not_ranked_but_listed_as_without_data(cast):
    from tests.factories import make_plan
    from zimao.reforms.models import PilotTask

    plan = make_plan("sichuan")
    PilotTask.objects.create(plan=plan, number="S-1", text="推进中欧班列运单物权化")
    html = page_of(cast.nina)
    panel = html.split('id="wb-behind"')[1].split("</article>")[0]
    ranked = panel.split('id="behind"')[1].split("</table>")[0]
    assert "四川自贸试验区" in ranked
    assert "广东自贸试验区" not in ranked and "暂无任务" not in ranked
    no_data = panel.split('id="behind-no-data"')[1]
    assert "无数据" in no_data and "（21）" in no_data and "广东自贸试验区" in no_data


def test_a_zone_office_sees_its_overdue_and_due_soon_tasks_against_the_given_day(world, settings):
    from datetime import date

    from zimao.reforms.models import PilotTask

    html = page_of(world.cast.zoe)
    assert "试点任务未设完成时限" in html and 'id="wb-overdue"' not in html
    settings.TODAY = date(2026, 6, 1)
    settings.DUE_SOON_DAYS = 14
    due = {"G-1": "2026-01-01", "G-2": "2026-05-20", "G-3": "2026-06-05", "G-4": "2026-06-10"}
    for number, day in due.items():
        PilotTask.objects.filter(plan__zone__code="guangdong", number=number).update(due_date=day)
    html = page_of(world.cast.zoe)
    assert "试点任务未设完成时限" not in html
    overdue = html.split('id="wb-overdue"')[1].split("</section>")[0]
    soon = html.split('id="wb-due-soon"')[1].split("</section>")[0]
    assert "G-2 建设国际贸易单一窗口" in overdue and "逾期 12 天" in overdue
    assert "G-1" not in overdue  # implemented: never overdue
    assert "14 天内到期" in soon and "G-4 开展跨境人民币" in soon and "9 天后到期" in soon
    assert "G-3" not in soon and "G-2" not in soon  # implemented; already overdue
    settings.TODAY = date(2026, 5, 10)  # another day, another reading
    html = page_of(world.cast.zoe)
    soon = html.split('id="wb-due-soon"')[1].split("</section>")[0]
    assert "G-2 建设国际贸易单一窗口" in soon and "10 天后到期" in soon
    assert "G-4" not in soon  # 31 days away
    assert "没有逾期任务。" in html


def test_the_province_sees_the_overdue_tasks_of_its_zones_only(world, settings):
    from datetime import date

    from zimao.reforms.models import PilotTask

    settings.TODAY = date(2026, 6, 1)
    PilotTask.objects.filter(number__in=["G-2", "S-1"]).update(due_date="2026-05-01")
    paul, nina = page_of(world.cast.paul), page_of(world.cast.nina)
    assert "逾期 1 项；14 天内到期 0 项" in paul and "G-2 建设国际贸易单一窗口" in paul
    assert "S-1" not in paul.split('id="wb-scope-deadlines"')[1].split("</section>")[0]
    assert "逾期 2 项" in nina and "S-1 推进中欧班列运单物权化" in nina
    assert "逾期 31 天" in nina
