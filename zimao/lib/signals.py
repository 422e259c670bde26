"""Signals shared by several apps; defined here so that no domain app imports another for them."""

from django.dispatch import Signal

# Sent after the transaction of a service write commits, with `record` (the saved or deleted
# record) and `deleted` (bool). The search index listens; writers never import search.
record_changed = Signal()
