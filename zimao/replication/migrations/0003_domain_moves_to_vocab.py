"""Replication items point at vocab.Domain (same table, so only the model state changes)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("replication", "0002_adoption"), ("vocab", "0001_domain")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    "replicationitem",
                    "domain",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="items",
                        to="vocab.domain",
                    ),
                )
            ],
            database_operations=[],
        )
    ]
