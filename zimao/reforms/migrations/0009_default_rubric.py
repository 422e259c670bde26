"""The default rubric: the five criteria of best-practice selection, equal weights."""

from django.db import migrations

DEFAULT = [
    ("originality", "首创性", "Originality"),
    ("replicability", "可复制可推广", "Replicability"),
    ("strategic_fit", "契合性", "Strategic fit"),
    ("distinctiveness", "差异化", "Distinctiveness"),
    ("effect", "成效", "Measured effect"),
]


def add(apps, schema_editor):
    criterion = apps.get_model("reforms", "Criterion")
    for position, (code, name_zh, name_en) in enumerate(DEFAULT):
        criterion.objects.get_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "weight": 1, "position": position},
        )


def remove(apps, schema_editor):
    apps.get_model("reforms", "Criterion").objects.filter(code__in=[c for c, _, _ in DEFAULT]).delete()


class Migration(migrations.Migration):
    dependencies = [("reforms", "0008_rubric")]
    operations = [migrations.RunPython(add, remove)]
