"""The index follows every change: `record_changed` is sent after the commit of each write, and
every door sends it (the services through `audit.writes`, the admin through its mixin, the loaders
once they have loaded, ingestion through `document_store`).

Deletes also unindex on `post_delete`: a record removed by a cascade (a plan's tasks) passes
through no door of its own.
"""

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from zimao.documents.models import Document
from zimao.lib.signals import record_changed
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import ReplicationItem

from .services import BUILDERS, index_record, records_to_index, unindex_record


@receiver(record_changed)
def _changed(sender: type, record: Any, deleted: bool = False, **kwargs: Any) -> None:
    """Re-index the committed state of the record (or remove its entries)."""
    if type(record) not in BUILDERS:
        return
    if deleted:
        unindex_record(record)
        return
    current = records_to_index(type(record)).filter(pk=record.pk).first()
    if current is not None:
        index_record(current)


@receiver(post_delete, sender=PilotTask)
@receiver(post_delete, sender=Innovation)
@receiver(post_delete, sender=ReplicationItem)
@receiver(post_delete, sender=Document)
def _deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    unindex_record(instance)
