"""Keep the search entries in step with the records they describe."""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from zimao.accounts.access import Actor, scope_of
from zimao.audit import writes
from zimao.audit.services import acting_user
from zimao.audit.writes import has_version
from zimao.documents.models import Document
from zimao.documents.subject import passage_zones
from zimao.documents.subject_review import subject_zones, zone_spans
from zimao.lib import pagecache
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import ReplicationItem
from zimao.text.passages import passages
from zimao.text.segment import cut_for_search

from . import neighbours
from .models import EDITORIAL_MARK, SavedSearch, SearchEntry

_ALNUM = re.compile(r"[^\W_]")  # a letter or digit: what str.isalnum accepts


def tokens_of(*parts: str) -> str:
    """Search-mode words (a term and its dictionary parts), space-joined, for the index."""
    words = cut_for_search(" ".join(p for p in parts if p))
    return " ".join(w.lower() for w in words if _ALNUM.search(w))


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


def editorial_text(description: str, terms: str) -> str:
    """An item's plain-language description and everyday words, behind a mark that says they
    are editorial wherever the text is shown."""
    if not (description.strip() or terms.strip()):
        return ""
    said = f"常用说法：{terms.strip()}" if terms.strip() else ""
    return " ".join(x for x in (EDITORIAL_MARK, description.strip(), said) if x)


def item_entries(item: ReplicationItem) -> list[dict[str, Any]]:
    """The item's official fields, then its editorial description and everyday words (so a
    query in everyday language, and similarity, find it), marked as editorial."""
    official = (item.category_zh, item.responsible_unit, item.scope)
    editorial = editorial_text(item.description, item.everyday_terms)
    body = " ".join(x for x in (*official, editorial) if x)
    zones = [z.code for z in item.origin_zones.all()] if item.pk else []  # prefetched in bulk
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


# What each builder reads beside the record: fetched with it (a reindex batch of 200 records
# would otherwise cost a query per record and relation, each a round trip on PostgreSQL).
RELATED: dict[type[Model], tuple[str, ...]] = {
    Innovation: ("zone", "domain"),
    ReplicationItem: ("domain", "batch"),
    Document: (),
    PilotTask: ("plan__zone", "domain"),
}
PREFETCHED: dict[type[Model], tuple[str, ...]] = {ReplicationItem: ("origin_zones",)}


def records_to_index(model: type[Model]) -> QuerySet[Any]:
    """The model's records with what their entries are built from, in a constant number of
    queries however many records."""
    return (
        model._default_manager.select_related(*RELATED[model])
        .prefetch_related(*PREFETCHED.get(model, ()))
        .order_by("pk")
    )


def _prefix(record: Model) -> str:
    return str(record.code) if isinstance(record, ReplicationItem) else str(record.pk)


def index_record(record: Model) -> int:
    """Replace the entries of one record; return how many it now has. The text is tokenised
    before the write transaction, which is short and only taken when something differs.
    Entries whose text changed get their similar records recomputed after the commit."""
    entries = BUILDERS[type(record)](record)
    plan = _plan(_existing([record]), entries)
    if plan:
        with transaction.atomic():
            neighbours.schedule(_apply(plan))  # marked pending in the same transaction
        pagecache.bump_after_commit({"search"})  # after the similar records, which it shows
    return len(entries)


TEXT_FIELDS = ("title", "body")
Key = tuple[str, str]


def _entries_of(record: Model) -> QuerySet[SearchEntry]:
    return SearchEntry.objects.filter(_own(record), kind__in=KINDS[type(record)])


def _own(record: Model) -> Q:
    key = _prefix(record)
    own = Q(object_id=key)
    if "passage" in KINDS[type(record)]:
        own |= Q(kind="passage", object_id__startswith=f"{key}:")
    return own


def _existing(records: list[Model]) -> dict[Key, SearchEntry]:
    """The stored entries of these records (all of one model), by (kind, object id)."""
    if not records:
        return {}
    model = type(records[0])
    if "passage" in KINDS[model]:
        mine = Q()
        for record in records:
            mine |= _own(record)
    else:
        mine = Q(object_id__in=[_prefix(r) for r in records])
    found = SearchEntry.objects.filter(mine, kind__in=KINDS[model])
    return {(e.kind, e.object_id): e for e in found}


@dataclass
class Plan:
    """What must be written to bring some records' entries up to date (nothing, mostly)."""

    update: list[tuple[SearchEntry, list[str]]] = field(default_factory=list)
    create: list[SearchEntry] = field(default_factory=list)
    delete: list[SearchEntry] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.update or self.create or self.delete)

    def touched(self) -> list[SearchEntry]:
        return [e for e, _ in self.update] + self.delete


def _plan(existing: dict[Key, SearchEntry], entries: list[dict[str, Any]]) -> Plan:
    """Compare wanted entries with stored ones (no write): updated in place (their ids, and
    so their similar records, stay), new ones added, those gone deleted."""
    left = dict(existing)
    plan = Plan()
    for values in entries:
        entry = left.pop((values["kind"], values["object_id"]), None)
        if entry is None:
            plan.create.append(SearchEntry(**values))
            continue
        differs = [f for f, v in values.items() if getattr(entry, f) != v]
        if differs:
            for name in differs:
                setattr(entry, name, values[name])
            plan.update.append((entry, differs))
    plan.delete = list(left.values())
    return plan


def _apply(plan: Plan) -> list[int]:
    """Write a plan (inside the caller's transaction); return the ids of the entries that can
    have similar records (neighbours.KINDS) whose text is new."""
    changed = []
    for entry, differs in plan.update:
        entry.save(update_fields=differs)
        if any(f in TEXT_FIELDS for f in differs):
            changed.append(entry)
    if plan.delete:
        SearchEntry.objects.filter(pk__in=[e.pk for e in plan.delete]).delete()
    made = SearchEntry.objects.bulk_create(plan.create)
    return [e.pk for e in changed + made if e.pk is not None and e.kind in neighbours.KINDS]


def unindex_record(record: Model) -> None:
    """Delete the record's entries (and with them their similar-record rows)."""
    _entries_of(record).delete()
    pagecache.bump_after_commit({"search"})


REINDEX_BATCH = 200  # records per transaction: each one holds the write lock for a moment only
_COMPARED = [f.attname for f in SearchEntry._meta.concrete_fields]


def _record_state(model: type[Model], chunk: list[Any]) -> list[tuple[Any, ...]]:
    """What tells whether records changed: their version, or all their own fields."""
    names = (
        ["pk", "version"]
        if has_version(model)
        else [f.attname for f in model._meta.concrete_fields]
    )
    return list(model._default_manager.filter(pk__in=chunk).order_by("pk").values_list(*names))


def _reindex_batch(model: type[Model], chunk: list[Any]) -> bool:
    """One batch of records: read and tokenise with no transaction open, then write only what
    differs in one short transaction. Should a write change these records or their entries
    meanwhile, the batch is redone inside the transaction, as it stands then."""
    builder = BUILDERS[model]
    before = _record_state(model, chunk)
    records = list(records_to_index(model).filter(pk__in=chunk))
    existing = _existing(records)
    wanted = [values for record in records for values in builder(record)]
    plan = _plan(existing, wanted)
    if not plan and _record_state(model, chunk) == before:
        return False  # nothing to change: no write lock taken
    seen = {tuple(getattr(e, name) for name in _COMPARED) for e in existing.values()}
    with transaction.atomic():
        stored = _existing(records)
        unchanged = (
            _record_state(model, chunk) == before
            and len(stored) == len(existing)
            and {tuple(getattr(e, name) for name in _COMPARED) for e in stored.values()} == seen
        )
        if not unchanged:  # rare: a write got in between; rebuild from what is stored now
            records = list(records_to_index(model).filter(pk__in=chunk))
            wanted = [values for record in records for values in builder(record)]
            plan = _plan(_existing(records), wanted)
        _apply(plan)
    return True


def reindex(
    batch: int = REINDEX_BATCH, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Rebuild every entry from the records, in batches of `batch` records, so that writes keep
    working while it runs and search never goes empty: each record's entries are updated in
    place (a batch with nothing to change writes nothing), then entries of records that no
    longer exist are removed, then the similarity weights are refitted and every entry's
    similar records recomputed (again in batches). Returns entries per kind.
    `progress(done, total)` hears of each finished batch of records."""
    ids = {
        model: list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for model in BUILDERS
    }
    total, done = sum(len(chunk) for chunk in ids.values()), 0
    for model in BUILDERS:
        for start in range(0, len(ids[model]), batch):
            chunk = ids[model][start : start + batch]
            if _reindex_batch(model, chunk):
                neighbours.let_writers_in()
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    _remove_orphans()
    neighbours.rebuild()
    writes.retry_pending()  # changes whose index update failed meanwhile (e.g. locked out)
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
        neighbours.let_writers_in()


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
