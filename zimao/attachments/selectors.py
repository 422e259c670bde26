"""Reads of attachments that pages share, always through the access layer."""

from django.db.models import Prefetch

from zimao.accounts.access import Actor, visible

from .models import MODELS


def readable_attachments(user: Actor, kind: str) -> Prefetch:
    """A prefetch of the attachments (of tasks, adoptions…) the user may read: one query per
    page, whatever the number of records listed."""
    model = MODELS[kind]
    queryset = visible(user, model._default_manager.all()).order_by("created_at", "id")
    return Prefetch("attachments", queryset=queryset)
