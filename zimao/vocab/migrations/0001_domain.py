"""The reform-domain taxonomy moves here from the reforms app. Its table stays
`reforms_domain` (created by reforms 0001), so only Django's model state moves."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("reforms", "0012_alter_innovation_created_at_scoresheet")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Domain",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.SlugField(max_length=40, unique=True, verbose_name="代码")),
                        ("name_zh", models.CharField(max_length=100, verbose_name="中文名称")),
                        (
                            "name_en",
                            models.CharField(blank=True, max_length=100, verbose_name="英文名称"),
                        ),
                        ("source", models.TextField(verbose_name="来源")),
                    ],
                    options={
                        "verbose_name": "改革领域",
                        "verbose_name_plural": "改革领域",
                        "ordering": ["id"],
                        "db_table": "reforms_domain",
                    },
                )
            ],
            database_operations=[],
        )
    ]
