"""Synthetic records in bulk, for the query budget (tests/test_query_budget.py) and the route
benchmark (benchmarks/routes.py): the same records `make_innovation`, `make_effect`,
`make_task` and `make_document` would make, written with `bulk_create` so that tens of
thousands take seconds, then put in the search index as the write path would."""

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from zimao.alignment.models import AlignmentMeasure, Batch, MeasureTask
from zimao.audit.models import AuditEvent
from zimao.documents.models import Document, Fact
from zimao.lib.dbstats import refresh_statistics
from zimao.reforms.models import Effect, Innovation, PilotTask, TaskStatusChange
from zimao.replication.models import Adoption, ReplicationItem
from zimao.search.models import SearchEntry, SimilarEntry
from zimao.search.services import BUILDERS
from zimao.vocab.models import Domain
from zimao.zones.models import Plan, Zone

BATCH = 2000
SIMILAR_PER_ENTRY = 18  # stored neighbours per innovation entry (neighbours.TOP keeps 20)
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
MECHANISM = "企业一次申报、各部门并联审核，通关材料电子化。"
TASK_TEXT = "推进企业开办全程网上办理"


def _plan(zone: Zone) -> Plan:
    return Plan.objects.filter(zone=zone).order_by("id").first() or Plan.objects.create(
        zone=zone,
        title=f"{zone.code} 总体方案（测试）",
        kind="overall",
        issue_date="2015-04",
        source="test",
    )


def _document_text(zone: Zone, n: int) -> str:
    return f"{zone.short_name_zh}通关时间从72小时压缩到37小时。第{n}号"


def _facts(document: Document) -> list[Fact]:
    """A quantity and an effect, pending review, as extraction would leave them."""
    text = document.text
    found = []
    for kind, part, payload in [
        ("quantity", "72小时", {"value": 72, "unit": "小时", "approx": None, "redacted": False}),
        (
            "effect",
            "从72小时压缩到37小时",
            {"measure": "通关时间", "before": 72, "after": 37, "unit": "小时"},
        ),
    ]:
        start = text.index(part)
        found.append(
            Fact(
                document=document,
                type=kind,
                start=start,
                end=start + len(part),
                text=part,
                confidence=0.9,
                payload=payload,
            )
        )
    return found


def index_all(records: Iterable[Any]) -> int:
    """Search entries of freshly made records (none exist yet, so nothing is replaced)."""
    entries = [SearchEntry(**e) for r in records for e in BUILDERS[type(r)](r)]
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def grow(times: int, start: int = 0, *, documents_every: int = 1) -> dict[str, int]:
    """`times` more innovations (half published, each with an effect) and tasks, spread over
    the zones; a document with two pending facts for every `documents_every`-th of them; and
    adoptions of the first 20 replication items. Returns how many of each were made."""
    zones: Sequence[Zone] = list(Zone.objects.order_by("id"))
    plans = {zone.pk: _plan(zone) for zone in zones}
    items = list(ReplicationItem.objects.order_by("id")[:20])
    trade = Domain.objects.filter(code="trade").first()
    numbers = range(start, start + times)
    with transaction.atomic():
        innovations = Innovation.objects.bulk_create(
            [
                Innovation(
                    title=f"第{n}项跨境改革",
                    zone=zones[n % len(zones)],
                    published=n % 2 == 0,
                    state=Innovation.State.SUBMITTED,
                    domain=trade,
                    mechanism=MECHANISM,
                )
                for n in numbers
            ],
            batch_size=BATCH,
        )
        Effect.objects.bulk_create(
            [
                Effect(
                    innovation=i,
                    measure="通关时间",
                    before=72,
                    after=37,
                    unit="小时",
                    change_pct=-48.61,
                    direction="decrease",
                )
                for i in innovations
            ],
            batch_size=BATCH,
        )
        tasks = PilotTask.objects.bulk_create(
            [
                PilotTask(plan=plans[zones[n % len(zones)].pk], number=f"B-{n}", text=TASK_TEXT)
                for n in numbers
            ],
            batch_size=BATCH,
        )
        documents = []
        for n in numbers:
            if n % documents_every:
                continue
            zone = zones[n % len(zones)]
            text = _document_text(zone, n)
            title = f"文档{n}"
            documents.append(
                Document(
                    title=title,
                    original_name=f"{title}.txt",
                    sha256=hashlib.sha256(f"{title}{text}".encode()).hexdigest(),
                    size=len(text.encode()),
                    format="txt",
                    encoding="utf-8",
                    text=text,
                    status=Document.Status.PROCESSED,
                    zone=zone,
                )
            )
        documents = Document.objects.bulk_create(documents, batch_size=BATCH)
        Fact.objects.bulk_create([f for d in documents for f in _facts(d)], batch_size=BATCH)
        Adoption.objects.bulk_create(
            [
                Adoption(item=items[n % len(items)], zone=zones[n % len(zones)], status="adopted")
                for n in numbers
            ],
            batch_size=BATCH,
            ignore_conflicts=True,  # one adoption per item and zone, as get_or_create gave
        )
        measures = _alignment(tasks, numbers)
        changes = _status_changes(tasks)
        events = _audit_events(innovations, tasks)
        entries = index_all(innovations)
        entries += index_all(tasks)
        entries += index_all(documents)
        similar = _similar_rows([str(i.pk) for i in innovations])
    refresh_statistics()  # as after every bulk load
    return {
        "innovations": len(innovations),
        "effects": len(innovations),
        "tasks": len(tasks),
        "documents": len(documents),
        "facts": 2 * len(documents),
        "status changes": changes,
        "audit events": events,
        "search entries": entries,
        "similar rows": similar,
        "alignment measures": measures,
    }


def _alignment(tasks: Sequence[PilotTask], numbers: range) -> int:
    """Every fifth task is a zone's share of an alignment measure of a synthetic batch (the
    latest, so the matrix shows it by default)."""
    batch, _ = Batch.objects.get_or_create(
        code="volume",
        defaults={"title": "对接措施（测试）", "issue_date": "2099", "status": "partial",
                  "plan_title": "volume", "source": "test"},
    )  # fmt: skip
    chosen = [(n, t) for n, t in zip(numbers, tasks, strict=True) if n % 5 == 0]
    measures = AlignmentMeasure.objects.bulk_create(
        [
            AlignmentMeasure(batch=batch, code=f"v-{n}", position=n, field="goods_trade",
                             title=f"第{n}项对接措施", source="test")
            for n, _ in chosen
        ],
        batch_size=BATCH,
    )  # fmt: skip
    pairs = [(m, t) for m, (_, t) in zip(measures, chosen, strict=True)]
    zones = AlignmentMeasure.zones.through
    zones.objects.bulk_create(
        [zones(alignmentmeasure=m, zone_id=t.plan.zone_id) for m, t in pairs], batch_size=BATCH
    )
    MeasureTask.objects.bulk_create(
        [MeasureTask(measure=m, zone_id=t.plan.zone_id, task=t) for m, t in pairs],
        batch_size=BATCH,
    )
    return len(measures)


def _status_changes(tasks: Sequence[PilotTask]) -> int:
    """Every task started on a day of its own; every third one implemented a month later
    (about 1.3 changes per task, as a year of real work leaves)."""
    changes = []
    for n, task in enumerate(tasks):
        started = EPOCH + timedelta(days=n % 700)
        changes.append(TaskStatusChange(task=task, status="in_progress", at=started))
        if n % 3 == 0:
            implemented = started + timedelta(days=30)
            changes.append(TaskStatusChange(task=task, status="implemented", at=implemented))
    TaskStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    return len(changes)


def _audit_events(innovations: Sequence[Innovation], tasks: Sequence[PilotTask]) -> int:
    """One creation event per innovation and task, as the write helper leaves."""
    events = [
        AuditEvent(
            actor_name="volume",
            action="create",
            record_type=type(record).__name__.lower(),
            record_id=str(record.pk),
            after={"title": getattr(record, "title", "") or getattr(record, "text", "")},
        )
        for record in [*innovations, *tasks]
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(events)


def _similar_rows(innovation_ids: list[str]) -> int:
    """Each new innovation entry's stored neighbours: the next SIMILAR_PER_ENTRY innovation
    entries (other zones, as the zones rotate), half above the near-duplicate threshold."""
    pks = list(
        SearchEntry.objects.filter(kind="innovation", object_id__in=innovation_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(pks) < 2:
        return 0
    rows = [
        (pk, pks[(n + k) % len(pks)], 0.9 - 0.02 * k)
        for n, pk in enumerate(pks)
        for k in range(1, min(SIMILAR_PER_ENTRY, len(pks) - 1) + 1)
    ]
    table = SimilarEntry._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(
                f"INSERT INTO {table} (entry_id, other_id, score) VALUES (%s, %s, %s)"  # noqa: S608
                " ON CONFLICT DO NOTHING",
                rows[start : start + 50_000],
            )
    return len(rows)
