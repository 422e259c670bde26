"""Keep the search entries in step with the records they describe."""

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from zimao.accounts.access import Actor, scope_of
from zimao.audit import writes
from zimao.audit.services import acting_user
from zimao.documents.models import Document
from zimao.documents.subject import passage_zones
from zimao.documents.subject_review import subject_zones, zone_spans
from zimao.lib import pagecache
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import ReplicationItem
from zimao.text.passages import passages
from zimao.text.segment import cut_for_search

from . import neighbours
from .models import SavedSearch, SearchEntry


def tokens_of(*parts: str) -> str:
    """Search-mode words (a term and its dictionary parts), space-joined, for the index."""
    words = cut_for_search(" ".join(p for p in parts if p))
    return " ".join(w.lower() for w in words if any(c.isalnum() for c in w))


def _audience(record: Model) -> dict[str, Any]:
    """Who may find the record's entries: the record's own access scope, copied."""
    scope = scope_of(record)
    return {
        "public": scope.published,
        "members_only": scope.members,
        "owner_zone": scope.zone or "",
        "owner_province": scope.province or "",
        "owner_area": scope.area,
    }


def _entry(
    kind: str,
    object_id: object,
    title: str,
    body: str,
    url: str,
    record: Model,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "object_id": str(object_id),
        "title": title[:300],
        "body": body,
        "url": url,
        "tokens": tokens_of(title, body),
        **_audience(record),
        **extra,
    }


def innovation_entries(innovation: Innovation) -> list[dict[str, Any]]:
    return [
        _entry(
            "innovation",
            innovation.pk,
            innovation.title,
            innovation.mechanism,
            reverse("reforms:innovation", args=[innovation.pk]),
            innovation,
            zone=innovation.zone.code if innovation.zone else "",
            domain=innovation.domain.code if innovation.domain else "",
            year=innovation.created_at.year if innovation.created_at else None,
        )
    ]


def item_entries(item: ReplicationItem) -> list[dict[str, Any]]:
    body = " ".join(x for x in (item.category_zh, item.responsible_unit, item.scope) if x)
    zones = list(item.origin_zones.values_list("code", flat=True)) if item.pk else []
    return [
        _entry(
            "item",
            item.code,
            item.title,
            body,
            item.get_absolute_url(),
            item,
            zone=zones[0] if len(zones) == 1 else "",
            domain=item.domain.code if item.domain else "",
            batch=item.batch.code,
            year=item.batch.year,
        )
    ]


def task_entries(task: PilotTask) -> list[dict[str, Any]]:
    plan = task.plan
    year = int(plan.issue_date[:4]) if plan.issue_date[:4].isdigit() else None
    return [
        _entry(
            "task",
            task.pk,
            f"{task.number} {task.text}"[:300],
            task.text,
            reverse("reforms:plan", args=[plan.pk]) + f"#task-{task.pk}",
            task,
            zone=plan.zone.code,
            domain=task.domain.code if task.domain else "",
            year=year,
        )
    ]


def zone_list(codes: list[str]) -> str:
    """The `zones` column: codes between spaces, so `LIKE '% code %'` finds one exactly."""
    return f" {' '.join(codes)} " if codes else ""


def document_entries(document: Document) -> list[dict[str, Any]]:
    """The document as a whole, tagged with its subject zone(s) (what it is about, not what it
    names most: zimao.documents.subject), and each passage, tagged with every zone it names,
    the document's subject first when the passage names it."""
    if document.status != Document.Status.PROCESSED:
        return []
    subject = subject_zones(document)
    spans = zone_spans(document)
    url = document.get_absolute_url()
    entries = [
        _entry(
            "document",
            document.pk,
            document.title,
            document.text[:2000],
            url,
            document,
            zone=subject[0] if subject else "",
            zones=zone_list(subject),
        )
    ]
    for offset, text in passages(document.text):
        named = passage_zones(text, offset, spans, subject)
        primary = next((z for z in named if z in subject), named[0] if named else "")
        entries.append(
            _entry(
                "passage",
                f"{document.pk}:{offset}",
                document.title,
                text,
                f"{url}#at-{offset}",
                document,
                zone=primary,
                zones=zone_list(named),
                offset=offset,
            )
        )
    return entries


BUILDERS: dict[type[Model], Callable[[Any], list[dict[str, Any]]]] = {
    Innovation: innovation_entries,
    ReplicationItem: item_entries,
    Document: document_entries,
    PilotTask: task_entries,
}
KINDS = {
    Innovation: ["innovation"],
    ReplicationItem: ["item"],
    Document: ["document", "passage"],
    PilotTask: ["task"],
}


def _prefix(record: Model) -> str:
    return str(record.code) if isinstance(record, ReplicationItem) else str(record.pk)


def index_record(record: Model) -> int:
    """Replace the entries of one record; return how many it now has. Entries whose text
    changed get their similar records recomputed once the transaction commits."""
    entries = BUILDERS[type(record)](record)
    with transaction.atomic():
        changed = _replace_entries(record, entries)
    neighbours.schedule(changed)
    return len(entries)


TEXT_FIELDS = ("title", "body")


def _entries_of(record: Model) -> QuerySet[SearchEntry]:
    kinds = KINDS[type(record)]
    key = _prefix(record)
    own = Q(object_id=key)
    if "passage" in kinds:
        own |= Q(kind="passage", object_id__startswith=f"{key}:")
    return SearchEntry.objects.filter(own, kind__in=kinds)


def _replace_entries(record: Model, entries: list[dict[str, Any]]) -> list[int]:
    """Update the record's entries in place (their ids, and so their similar records, stay),
    add new ones and delete those gone; return the ids whose title or body is new."""
    existing = {(e.kind, e.object_id): e for e in _entries_of(record)}
    changed, created = [], []
    for values in entries:
        entry = existing.pop((values["kind"], values["object_id"]), None)
        if entry is None:
            created.append(SearchEntry(**values))
            continue
        differs = [f for f, v in values.items() if getattr(entry, f) != v]
        if differs:
            for field in differs:
                setattr(entry, field, values[field])
            entry.save(update_fields=differs)
            if any(f in TEXT_FIELDS for f in differs):
                changed.append(entry.pk)
    if existing:
        SearchEntry.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    made = SearchEntry.objects.bulk_create(created)
    return changed + [e.pk for e in made if e.pk is not None]


def unindex_record(record: Model) -> None:
    """Delete the record's entries (and with them their similar-record rows)."""
    _entries_of(record).delete()


REINDEX_BATCH = 200  # records per transaction: each one holds the write lock for a moment only


def reindex(
    batch: int = REINDEX_BATCH, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Rebuild every entry from the records, in short transactions of `batch` records, so that
    writes keep working while it runs and search never goes empty: each record's entries are
    updated in place, then entries of records that no longer exist are removed, then the
    similarity weights are refitted and every entry's similar records recomputed (again in
    batches). Returns entries per kind. `progress(done, total)` hears of each committed batch
    of records."""
    ids = {
        model: list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for model in BUILDERS
    }
    total, done = sum(len(chunk) for chunk in ids.values()), 0
    for model, builder in BUILDERS.items():
        for start in range(0, len(ids[model]), batch):
            chunk = ids[model][start : start + batch]
            with transaction.atomic():
                records = model._default_manager.filter(pk__in=chunk).order_by("pk")
                for record in records:
                    _replace_entries(record, builder(record))
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    _remove_orphans()
    neighbours.rebuild()
    pagecache.bump()
    return dict(Counter(SearchEntry.objects.values_list("kind", flat=True)))


def _remove_orphans() -> None:
    """Entries whose record is gone (deleted without a signal, e.g. by a bulk delete)."""
    keys = {
        "innovation": {str(pk) for pk in Innovation.objects.values_list("pk", flat=True)},
        "task": {str(pk) for pk in PilotTask.objects.values_list("pk", flat=True)},
        "item": set(ReplicationItem.objects.values_list("code", flat=True)),
        "document": {str(pk) for pk in Document.objects.values_list("pk", flat=True)},
    }
    stale = [
        pk
        for pk, kind, object_id in SearchEntry.objects.values_list("pk", "kind", "object_id")
        if object_id.split(":")[0] not in keys["document" if kind == "passage" else kind]
    ]
    for start in range(0, len(stale), 1000):
        with transaction.atomic():
            SearchEntry.objects.filter(pk__in=stale[start : start + 1000]).delete()


SAVED_SEARCH_FIELDS = ("user", "name", "query")
MAX_SAVED_SEARCHES = 50


def saved_search_create(*, user: Actor, name: str, query: str) -> SavedSearch:
    """Keep a search (the page's query string) under a name; the user's own record."""
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写名称")
    elif len(name) > 100:
        errors["name"] = _("名称不能超过 100 个字符")
    if not query.strip() or len(query) > 500:
        errors["query"] = _("检索条件无效")
    if errors:
        raise ValidationError(errors)
    owner = acting_user(user)
    if owner is None:
        raise PermissionDenied(_("请先登录再保存检索。"))
    if SavedSearch.objects.filter(user=owner).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            {"name": _("最多保存 %(n)s 条检索，请先删除不用的。") % {"n": MAX_SAVED_SEARCHES}}
        )
    record = SavedSearch(user=owner, name=name.strip(), query=query.strip())
    return writes.create(user=user, record=record, fields=SAVED_SEARCH_FIELDS)


def saved_search_delete(*, user: Actor, saved: SavedSearch) -> None:
    writes.delete(user=user, record=saved, fields=SAVED_SEARCH_FIELDS)
