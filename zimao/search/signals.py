"""The index follows every write, whichever path made it (services, admin, loader, ingestion).

Signals are used here on purpose: records change through several doors, and a search index
that misses one of them silently returns stale results.
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from zimao.documents.models import Document
from zimao.lib.signals import record_changed
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import ReplicationItem

from .services import BUILDERS, index_record, unindex_record


@receiver(record_changed)
def _changed(sender: type, record: Any, deleted: bool = False, **kwargs: Any) -> None:
    """Service writes (queryset updates fire no post_save) re-index after they commit."""
    if type(record) not in BUILDERS:
        return
    if deleted:
        unindex_record(record)
    elif type(record)._default_manager.filter(pk=record.pk).exists():
        index_record(type(record)._default_manager.get(pk=record.pk))


@receiver(post_save, sender=Innovation)
@receiver(post_save, sender=ReplicationItem)
@receiver(post_save, sender=PilotTask)
def _saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # Documents are indexed by document_store once their facts exist (zone of a passage).
    if not raw:
        index_record(instance)


@receiver(post_delete, sender=PilotTask)
@receiver(post_delete, sender=Innovation)
@receiver(post_delete, sender=ReplicationItem)
@receiver(post_delete, sender=Document)
def _deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    unindex_record(instance)


@receiver(m2m_changed, sender=ReplicationItem.origin_zones.through)
def _zones_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, ReplicationItem):
        index_record(instance)
