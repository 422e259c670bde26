"""The reforms app no longer owns Domain (the table now belongs to vocab.Domain)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reforms", "0013_domain_moves_to_vocab"),
        ("replication", "0003_domain_moves_to_vocab"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("Domain")], database_operations=[]
        )
    ]
