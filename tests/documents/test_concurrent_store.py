"""Uploads of the same file at the same time: one document, one stored original, no errors.

These tests use real transactions (threads each hold their own database connection), so
they run after the rolled-back ones and leave an empty database behind.
"""

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client

from tests.factories import person
from zimao.accounts.access import SystemActor
from zimao.accounts.models import Role
from zimao.documents.analysis import analyse_bytes
from zimao.documents.models import Document
from zimao.documents.services import document_store
from zimao.documents.storage import content_name
from zimao.jobs.models import Job
from zimao.jobs.services import job_run

pytestmark = pytest.mark.django_db(transaction=True)

DATA = "横琴片区企业开办时间由3个工作日压缩至0.5个工作日，申请材料减少一半。".encode()


def at_once(count: int, work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run `work` in `count` threads released together; return results and errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_concurrent_stores_of_one_content_make_one_document_and_one_file(media):
    analysis = analyse_bytes("notice.txt", DATA)
    operator = SystemActor("test")
    results, errors = at_once(
        12, lambda: document_store(analysis=analysis, data=DATA, user=operator)
    )
    assert errors == []
    assert sum(stored.created for stored in results) == 1
    assert {stored.document.pk for stored in results} == {Document.objects.get().pk}
    document = Document.objects.get()
    assert document.status == "processed" and document.facts.exists()
    assert document.file.name == content_name(analysis.sha256, "notice.txt")
    assert stored_files(media) == [document.file.name]
    assert (media / document.file.name).read_bytes() == DATA


def _shared_memory_sqlite() -> bool:
    settings = connections["default"].settings_dict
    return settings["ENGINE"].endswith("sqlite3") and "memory" in str(settings["NAME"])


@pytest.mark.skipif(
    "_shared_memory_sqlite()",
    reason="the in-memory SQLite test database refuses concurrent sessions and logins "
    "(no busy wait in shared-cache mode); runs on PostgreSQL",
)
def test_concurrent_uploads_of_one_file_all_land_on_the_same_document(media):
    user = person("alice", Role.NATIONAL)

    def upload() -> tuple[int, str]:
        client = Client()
        client.force_login(user)
        response = client.post(
            "/documents/upload/", {"file": SimpleUploadedFile("notice.txt", DATA)}
        )
        return response.status_code, response.get("Location", "")

    results, errors = at_once(8, upload)
    assert errors == []
    assert len(results) == 8 and all(s == 302 and url.startswith("/jobs/") for s, url in results)
    queued = iter(Job.objects.filter(state=Job.State.QUEUED).values_list("pk", flat=True))
    take = threading.Lock()

    def run() -> str:
        with take:
            pk = next(queued)
        return job_run(pk, 1)

    outcomes, errors = at_once(8, run)  # eight workers read and store the same file together
    assert errors == [] and outcomes == ["done"] * 8
    document = Document.objects.get()
    jobs = Job.objects.all()
    assert len(jobs) == 8 and {job.result_url for job in jobs} == {document.get_absolute_url()}
    assert stored_files(media) == [document.file.name]
