"""Foreign keys now point at vocab.Domain (same table, so only the model state changes)."""

import django.db.models.deletion
from django.db import migrations, models


def domain_fk(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="vocab.domain",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reforms", "0012_alter_innovation_created_at_scoresheet"),
        ("vocab", "0001_domain"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField("innovation", "domain", domain_fk("innovations")),
                migrations.AlterField("pilottask", "domain", domain_fk("tasks")),
            ],
            database_operations=[],
        ),
    ]
