"""Pages say things in words: the audit log as 字段：旧值 → 新值, the implementation rate with
zone and domain names, no data-entry notes, charts that start where the data starts."""

import pytest

from tests.factories import make_plan, make_task
from tests.world import make_world
from zimao.reforms.models import PilotTask
from zimao.reforms.selectors import chart_days, history_start
from zimao.reforms.services import task_update

pytestmark = pytest.mark.django_db


def test_the_audit_log_reads_as_field_old_to_new(cast, client):
    world = make_world(cast)
    task = world.records["tasks"][1]
    client.force_login(cast.zoe)
    html = client.get(f"/audit/reforms.pilottask/{task.pk}/").content.decode()
    assert "状态：未启动 → 推进中" in html
    assert "试点任务：G-2 建设国际贸易单一窗口" in html
    log = client.get("/audit/").content.decode()
    assert "自贸试验区：广东自贸试验区" in log and "领域：贸易便利化" in log
    assert "流转为“已报送”" in log and "{&#x27;" not in log and "in_progress" not in log


def test_the_implementation_page_names_zones_and_domains(cast, client):
    make_world(cast)
    html = client.get("/reforms/implementation/", {"zone": "guangdong"}).content.decode()
    table = html.split('id="rate-by-zone"')[1].split("</table>")[0]
    assert (
        "<th>自贸试验区</th>" in table and "广东自贸试验区" in table and ">guangdong<" not in table
    )
    assert "<th>领域</th>" in html and "未分领域" in html and "前海蛇口片区" in html


def test_public_pages_keep_sources_but_not_data_entry_notes(client):
    html = client.get("/zones/guangdong/").content.decode()
    assert "来源" in html and "approval_date = date" not in html
    assert "deep economic cooperation" not in html  # the English positioning, in Chinese
    batch = client.get("/replication/batches/sc-5/").content.decode()
    assert "来源" in batch


def test_the_trend_starts_in_the_month_of_the_first_recorded_status(cast):
    from django.utils import timezone

    plan = make_plan("tianjin")
    task = make_task("Z-1", "tianjin")
    selected = PilotTask.objects.filter(plan=plan)
    assert history_start(selected) is None
    assert chart_days(selected, 12) == [timezone.localdate()]  # nothing earlier to draw
    task_update(user=cast.nina, task=task, version=1, status="implemented", evidence="已印发")
    assert history_start(selected) == timezone.localdate()
    assert len(chart_days(selected, 12)) == 1
