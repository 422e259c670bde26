from typing import Any

from django.db import migrations, models

# As in zimao/data/indicators.csv, so a database migrated before the next reference load
# already reads the shipped indicators the right way round.
LOWER = ("business_startup_days",)
NEUTRAL = ("ftz_count", "area_count", "plan_docs_total", "pilot_tasks_total", "planned_area")


def set_directions(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("indicators", "Indicator")
    indicator.objects.filter(code__in=LOWER).update(direction="lower")
    indicator.objects.filter(code__in=NEUTRAL).update(direction="neutral")


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_observation_provenance"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="direction",
            field=models.CharField(
                choices=[("higher", "越高越好"), ("lower", "越低越好"), ("neutral", "无优劣之分")],
                default="higher",
                max_length=10,
                verbose_name="方向",
            ),
        ),
        migrations.RunPython(set_directions, migrations.RunPython.noop),
    ]
