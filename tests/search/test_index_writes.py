"""The index write path: a reindex batch with nothing to change writes nothing and opens no
transaction (so it never queues behind, or blocks, the writers); a record is indexed once per
write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_innovation, make_task
from zimao.reforms.models import Innovation, PilotTask
from zimao.reforms.services import innovation_create, innovation_update
from zimao.search.models import SearchEntry
from zimao.search.services import _reindex_batch
from zimao.zones.models import Zone

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN")


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"].lstrip().upper() for q in queries.captured_queries]


def test_a_batch_with_nothing_to_change_takes_no_write_lock():
    made = [make_innovation(f"跨境数据流动试点第{n}项") for n in range(3)]
    ids = [i.pk for i in made]
    with CaptureQueriesContext(connection) as idle:
        _reindex_batch(Innovation, ids)
    assert not [s for s in statements(idle) if s.startswith(WRITES)]

    Innovation.objects.filter(pk=ids[1]).update(title="跨境数据流动安全评估", version=2)
    with CaptureQueriesContext(connection) as busy:
        _reindex_batch(Innovation, ids)
    written = [s for s in statements(busy) if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(written) == 1 and "SEARCH_SEARCHENTRY" in written[0]
    titles = SearchEntry.objects.filter(kind="innovation", object_id__in=[str(i) for i in ids])
    assert "跨境数据流动安全评估" in set(titles.values_list("title", flat=True))


@pytest.mark.parametrize("kind", ["innovation", "task"])
def test_a_reindex_batch_costs_the_same_queries_however_many_records(kind):
    """A batch reads each record's zone, domain and plan with the records, not one query per
    record (on PostgreSQL every query is a round trip: at 30,000 records the reindex spent its
    time waiting on them)."""

    def make(n: int) -> int:
        if kind == "task":
            return make_task(f"T-{n}", text=f"推进第{n}项通关便利化改革").pk
        return make_innovation(f"跨境贸易便利化第{n}项").pk

    model = PilotTask if kind == "task" else Innovation
    few, many = [make(n) for n in range(2)], [make(n) for n in range(2, 10)]
    field = "text" if kind == "task" else "title"
    for pk in few + many:  # every entry to update (without the write path's own re-index)
        model.objects.filter(pk=pk).update(**{field: f"海关监管模式创新第{pk}号"})
    counts = []
    for ids in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert _reindex_batch(model, ids)
        counts.append(len([s for s in statements(queries) if s.startswith("SELECT")]))
    assert counts[0] == counts[1]


def test_a_new_innovation_is_indexed_once(cast, django_capture_on_commit_callbacks):
    zone = Zone.objects.get(code="guangdong")
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = innovation_create(user=cast.zoe, title="保税维修全程监管", zone=zone)
    own = f'"search_searchentry"."object_id" IN (\'{created.pk}\')'
    reads = [q for q in queries.captured_queries if own in q["sql"]]
    assert len(reads) == 1  # its entries looked up (and its text tokenised) once, not twice
    assert SearchEntry.objects.filter(kind="innovation", object_id=str(created.pk)).count() == 1
    with (
        CaptureQueriesContext(connection) as again,
        django_capture_on_commit_callbacks(execute=True),
    ):
        innovation_update(user=cast.zoe, innovation=created, version=1, domain=None)
    entry_writes = [
        s
        for s in statements(again)
        if s.startswith(("INSERT", "UPDATE")) and "SEARCH_SEARCHENTRY" in s
    ]
    assert entry_writes == []  # nothing the entry shows changed
