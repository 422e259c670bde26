"""The free-text 责任单位 of existing tasks becomes entries of each zone's catalogue."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reforms", "0014_forget_domain")]
AFTER = [("reforms", "0015_task_deadlines_and_units")]


@pytest.mark.django_db(transaction=True)
def test_free_text_units_become_catalogue_entries():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Zone, Plan = old.get_model("zones", "Zone"), old.get_model("zones", "Plan")
    PilotTask = old.get_model("reforms", "PilotTask")
    zone = Zone.objects.create(
        code="testzone", name_zh="测试自贸试验区", short_name_zh="测试", province="测试省", batch=1
    )
    plan = Plan.objects.create(zone=zone, kind="overall", title="测试方案")
    PilotTask.objects.create(plan=plan, number="1", text="甲", responsible_units="商务局、海关")
    PilotTask.objects.create(plan=plan, number="2", text="乙", responsible_units="海关；税务局")
    PilotTask.objects.create(plan=plan, number="3", text="丙", responsible_units="")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Unit, Task = new.get_model("reforms", "ResponsibleUnit"), new.get_model("reforms", "PilotTask")
    assert sorted(Unit.objects.filter(zone_id=zone.pk).values_list("name", flat=True)) == [
        "商务局",
        "海关",
        "税务局",
    ]
    units = {t.number: sorted(u.name for u in t.units.all()) for t in Task.objects.all()}
    assert units == {"1": ["商务局", "海关"], "2": ["海关", "税务局"], "3": []}
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
