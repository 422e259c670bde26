"""Background jobs through the real queue: django-tasks' database backend, run by real
`zimao db_worker` processes against the test database (one of them killed with SIGKILL)."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from tests.factories import make_cast
from tests.ops.helpers import ZIMAO, instance_env
from zimao.audit.models import AuditEvent
from zimao.documents.analysis import analyse_bytes
from zimao.documents.display import error_text
from zimao.documents.jobs import ingest_start
from zimao.documents.models import Document, Fact
from zimao.jobs.models import Job
from zimao.jobs.services import job_start, write_result

GOOD = [
    "广东自贸试验区第{n}批改革：企业开办时间从5个工作日压缩到1个工作日，通关时间缩短{n}0%。",
    "四川自贸试验区推行第{n}项跨境结算便利措施，2023年累计办理业务{n}万笔。",
]
BROKEN = b"%PDF-1.7\n" + bytes(range(256)) * 8  # declares a PDF, holds none


def sample_files(count: int) -> list[tuple[str, bytes]]:
    """`count` readable text files with distinct contents, each with a few facts."""
    return [
        (f"通报{n:02d}.txt", GOOD[n % 2].format(n=n).encode("utf-8")) for n in range(1, count + 1)
    ]


def database_url() -> str:
    """The test database, as DATABASE_URL for a worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def instance(settings, tmp_path):
    """The test process and its workers share var/ (uploaded inputs, originals, results)."""
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    settings.JOBS_DIR = var / "jobs"
    return var


def worker_env(var: Path, **extra: str) -> dict[str, str]:
    return instance_env(var, database_url(), **extra)


WORKER = [*ZIMAO, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]


def run_worker(var: Path) -> None:
    """A worker that runs every queued task, then exits."""
    result = subprocess.run(
        [*WORKER, "--batch"],
        env=worker_env(var),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def upload(client: Client, files: list[tuple[str, bytes]]):
    return client.post(
        "/documents/upload/", {"file": [SimpleUploadedFile(name, data) for name, data in files]}
    )


def expected_facts(files: list[tuple[str, bytes]]) -> dict[str, int]:
    return {name: len(analyse_bytes(name, data).facts) for name, data in files}


@pytest.mark.django_db(transaction=True)
def test_several_uploaded_files_are_stored_by_the_worker(instance):
    cast = make_cast()
    client = Client()
    client.force_login(cast.zoe)
    files = [*sample_files(2), ("损坏的附件.pdf", BROKEN)]

    response = upload(client, files)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert (job.state, job.kind, job.zone_code, job.created_by) == (
        "queued",
        "ingest",
        "guangdong",
        cast.zoe,
    )
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    assert Document.objects.count() == 0  # nothing is stored inside the request

    run_worker(instance)

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 3, 3)
    assert "成功 2 个，失败 1 个" in job.message
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    stored = {d.original_name: d for d in Document.objects.all()}
    assert set(stored) == {name for name, _ in files}
    facts = expected_facts(files)
    for name, document in stored.items():
        assert document.zone.code == "guangdong"
        assert document.facts.count() == facts[name]
    broken = stored["损坏的附件.pdf"]
    assert broken.status == "failed" and broken.error and broken.facts.count() == 0
    errors = [i for i in job.items if i.get("error")]
    assert [i["name"] for i in errors] == ["损坏的附件.pdf"]
    assert errors[0]["error"] == error_text(broken.error)  # the reader's reason, in Chinese
    assert errors[0]["error"] == "PDF 文件已损坏或不完整。"

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in page and "3 / 3" in page and "损坏的附件.pdf" in page
    assert 'http-equiv="refresh"' not in page  # a finished job stops reloading


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_no_partial_records_and_a_retry_finishes(instance, settings):
    cast = make_cast()
    files = sample_files(8)
    job = ingest_start(
        user=cast.zoe, uploads=[SimpleUploadedFile(name, data) for name, data in files]
    )
    slow = worker_env(instance, ZIMAO_JOB_PAUSE_MS="700")
    worker = subprocess.Popen(WORKER, env=slow, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while Job.objects.get(pk=job.pk).done < 2:
            assert worker.poll() is None, "the worker exited early"
            assert time.monotonic() < deadline, "the worker made no progress"
            time.sleep(0.1)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()

    facts = expected_facts(files)
    job.refresh_from_db()
    assert job.state == "running" and 2 <= job.done < 8
    stored = Document.objects.count()
    assert job.done <= stored < 8
    for document in Document.objects.all():  # each file was stored whole, or not at all
        assert document.status == "processed"
        assert document.facts.count() == facts[document.original_name]
    assert AuditEvent.objects.filter(action="ingest").count() == stored

    client = Client()
    client.force_login(cast.zoe)
    client.post(f"/jobs/{job.pk}/retry/")  # too soon: the worker might only be slow
    assert Job.objects.get(pk=job.pk).attempt == 1
    settings.JOB_STALE_SECONDS = 0  # its heartbeat stopped with the worker
    time.sleep(0.05)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已中断" in page and 'id="job-retry"' in page
    assert 'http-equiv="refresh"' not in page  # nothing more will happen until a retry
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert (job.state, job.attempt) == ("queued", 2)

    run_worker(instance)

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 8, 8)
    assert Document.objects.count() == 8
    assert Fact.objects.count() == sum(facts.values())
    assert AuditEvent.objects.filter(action="ingest").count() == 8
    assert AuditEvent.objects.filter(action="job_retry").count() == 1


@pytest.mark.django_db(transaction=True)
def test_reindex_report_export_and_table_jobs_produce_their_results(instance):
    from zimao.reports.services import report_draft_save

    cast = make_cast()
    nina = Client()
    nina.force_login(cast.nina)
    reindex = nina.post("/jobs/start/reindex/")
    export = nina.post("/jobs/start/open_data/")
    draft = report_draft_save(
        user=cast.zoe, kind="annual", title="广东年度报告", subject="zone:guangdong", year=2023
    )
    zoe = Client()
    zoe.force_login(cast.zoe)
    report = zoe.post(f"/reports/{draft.pk}/export/docx/background/")
    table = zoe.post(
        "/exports/background/",
        {"path": "/reforms/innovations/", "query": "page=2&format=xlsx", "format": "csv"},
    )
    assert zoe.post("/jobs/start/reindex/").status_code == 403  # the national office's button
    assert [r.status_code for r in (reindex, export, report, table)] == [302] * 4

    run_worker(instance)

    jobs = {job.kind: job for job in Job.objects.all()}
    assert {k: j.state for k, j in jobs.items()} == {
        "reindex": "done",
        "open_data": "done",
        "report": "done",
        "table_export": "done",
    }
    assert jobs["reindex"].total > 0 and jobs["reindex"].done == jobs["reindex"].total
    word = zoe.get(f"/jobs/{jobs['report'].pk}/download/")
    assert word.status_code == 200
    assert b"".join(word.streaming_content).startswith(b"PK")  # a .docx is a zip
    assert nina.get(f"/jobs/{jobs['open_data'].pk}/download/").status_code == 200
    assert zoe.get(f"/jobs/{jobs['open_data'].pk}/download/").status_code == 404  # nina's
    csv = zoe.get(f"/jobs/{jobs['table_export'].pk}/download/")
    disposition = csv["Content-Disposition"]
    assert disposition.startswith("attachment") and ".csv" in disposition
    header = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("标题,")  # the list page's own columns, as its CSV link gives
    assert not list(Path(instance, "jobs").rglob(".partial-*"))


@pytest.mark.django_db(transaction=True)
def test_reindex_background_from_the_command_line(instance):
    result = subprocess.run(
        [*ZIMAO, "reindex", "--background"],
        env=worker_env(instance),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    job = Job.objects.get()
    assert (job.kind, job.state, job.created_by) == ("reindex", "queued", None)
    run_worker(instance)
    job.refresh_from_db()
    assert job.state == "done" and "检索索引已重建" in job.message


@pytest.fixture
def guangdong_job(cast, instance):
    """A finished export job of the Guangdong zone office, with a file carrying a marker."""
    job = job_start(user=cast.zoe, kind="open_data")
    name = write_result(job, "result.csv", lambda p: p.write_text("粤办导出标记", encoding="utf-8"))
    Job.objects.filter(pk=job.pk).update(state="done", result_file=name, message="粤办导出")
    return job


@pytest.mark.django_db
def test_only_the_owner_and_the_offices_above_see_or_download_a_job(cast, guangdong_job):
    job = guangdong_job
    for who, sees in [
        ("zoe", True),
        ("paul", True),  # Guangdong's provincial office
        ("nina", True),  # the national office
        ("otto", False),  # another zone's office
        ("ada", False),  # an area office sees its own area's jobs, not the zone's
        ("rita", False),  # researchers see their own jobs only
    ]:
        client = Client()
        client.force_login(getattr(cast, who))
        listing = client.get("/jobs/").content.decode()
        detail = client.get(f"/jobs/{job.pk}/")
        download = client.get(f"/jobs/{job.pk}/download/")
        assert ("粤办导出" in listing) is sees, who
        assert detail.status_code == (200 if sees else 404), who
        assert download.status_code == (200 if sees else 404), who
        if sees:
            assert b"".join(download.streaming_content).decode() == "粤办导出标记"
    assert Client().get(f"/jobs/{job.pk}/download/").status_code == 302  # sign in first


@pytest.mark.django_db
def test_only_the_owner_or_the_national_office_retries(cast, guangdong_job):
    Job.objects.filter(pk=guangdong_job.pk).update(state="failed", error="导出失败")
    for who, status in [("otto", 404), ("paul", 403)]:
        client = Client()
        client.force_login(getattr(cast, who))
        assert client.post(f"/jobs/{guangdong_job.pk}/retry/").status_code == status, who
    assert Job.objects.get(pk=guangdong_job.pk).attempt == 1
    client = Client()
    client.force_login(cast.zoe)
    page = client.get("/jobs/").content.decode()
    assert "失败" in page and "导出失败" in page and "重试" in page
    assert client.post(f"/jobs/{guangdong_job.pk}/retry/").status_code == 302
    job = Job.objects.get(pk=guangdong_job.pk)
    assert (job.state, job.attempt, job.error) == ("queued", 2, "")
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()


@pytest.mark.django_db
def test_the_jobs_page_reads_in_chinese_and_in_english(cast, guangdong_job):
    client = Client()
    client.force_login(cast.zoe)
    page = client.get("/jobs/").content.decode()
    assert "后台任务" in page and "导出开放数据" in page and "已完成" in page
    assert 'href="/jobs/"' in page  # in the menu
    client.cookies["django_language"] = "en"
    try:
        english = client.get("/jobs/").content.decode()
    finally:
        translation.activate(django_settings.LANGUAGE_CODE)  # the request left English active
    assert "Background jobs" in english and "Open data export" in english


@pytest.mark.django_db
def test_one_uploaded_file_is_a_job_too_whose_page_links_its_document(cast):
    from tests.factories import run_queued_jobs

    client = Client()
    client.force_login(cast.zoe)
    response = upload(client, sample_files(1))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert not Document.objects.exists()  # nothing is read inside the request
    run_queued_jobs()
    document = Document.objects.get()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 1, 1)
    assert job.result_url == document.get_absolute_url()
    assert job.message == f"已导入，共提取 {document.facts.count()} 条事实"
    assert f'href="{document.get_absolute_url()}"' in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_too_many_files_are_refused_with_nothing_queued(cast, settings, media):
    settings.MAX_UPLOAD_FILES = 2
    client = Client()
    client.force_login(cast.zoe)
    response = upload(client, sample_files(3))
    assert response.status_code == 400
    assert "一次最多导入 2 个文件" in response.content.decode()
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_only_list_pages_with_a_download_can_be_exported_in_the_background(cast):
    client = Client()
    client.force_login(cast.zoe)
    for path, fmt in [("/audit/", "csv"), ("/reforms/innovations/", "pdf"), ("/nowhere/", "csv")]:
        response = client.post("/exports/background/", {"path": path, "format": fmt})
        assert response.status_code == 404, path
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_queued_job_whose_queue_entry_was_lost_can_be_retried(cast, guangdong_job):
    """A restored backup has no queue, and a worker may die between taking the task and
    starting the job: such a queued job would wait forever, so it is offered for retry."""
    Job.objects.filter(pk=guangdong_job.pk).update(state="queued", result_file="")
    client = Client()
    client.force_login(cast.zoe)
    assert 'id="job-retry"' not in client.get(f"/jobs/{guangdong_job.pk}/").content.decode()
    DBTaskResult.objects.filter(id=guangdong_job.task_id).delete()
    page = client.get(f"/jobs/{guangdong_job.pk}/").content.decode()
    assert "已中断" in page and 'id="job-retry"' in page
    assert client.post(f"/jobs/{guangdong_job.pk}/retry/").status_code == 302
    job = Job.objects.get(pk=guangdong_job.pk)
    assert (job.state, job.attempt) == ("queued", 2)
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"


@pytest.mark.django_db
def test_every_change_of_a_jobs_state_is_audited(cast, instance):
    """queued → running → done, and queued → running → failed, each in the log with its actor."""
    from zimao.jobs.registry import KINDS, Kind, Outcome, register
    from zimao.jobs.services import job_run

    register(Kind("audit_probe", "探针", lambda job, progress: Outcome("完成"), lambda u: True))
    try:
        finished = Job.objects.create(kind="audit_probe", zone_code="guangdong")
        failed = Job.objects.create(kind="no_such_kind", zone_code="guangdong")
        assert job_run(finished.pk, 1) == "done"
        assert job_run(failed.pk, 1) == "failed"
        assert job_run(finished.pk, 1) == "skipped"  # no second claim, no second event
    finally:
        del KINDS["audit_probe"]

    def steps(job: Job) -> list[tuple[str, str, str, str]]:
        events = AuditEvent.objects.filter(record_type="jobs.job", record_id=str(job.pk))
        return [
            (e.action, e.actor_name, e.before["state"], e.after["state"])
            for e in events.order_by("id")
        ]

    worker = "system:job-worker"
    assert steps(finished) == [
        ("job_running", worker, "queued", "running"),
        ("job_done", worker, "running", "done"),
    ]
    assert steps(failed) == [
        ("job_running", worker, "queued", "running"),
        ("job_failed", worker, "running", "failed"),
    ]
    assert AuditEvent.objects.get(action="job_failed").zone == "guangdong"


@pytest.mark.django_db(transaction=True)
def test_a_job_failing_on_the_disk_is_marked_failed_and_the_worker_runs_the_next(instance):
    """The report cannot be written (the jobs folder is a plain file: every write there raises
    OSError); its job fails with a reason in Chinese, and the same worker goes on to the next."""
    from zimao.reports.services import report_draft_save

    cast = make_cast()
    draft = report_draft_save(
        user=cast.zoe, kind="annual", title="广东年度报告", subject="zone:guangdong", year=2023
    )
    zoe = Client()
    zoe.force_login(cast.zoe)
    nina = Client()
    nina.force_login(cast.nina)
    assert zoe.post(f"/reports/{draft.pk}/export/pdf/background/").status_code == 302
    assert nina.post("/jobs/start/reindex/").status_code == 302
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "jobs").write_text("not a folder")

    run_worker(instance)  # --batch: it must run both and exit 0

    report, reindex = Job.objects.get(kind="report"), Job.objects.get(kind="reindex")
    assert (report.state, reindex.state) == ("failed", "done")
    assert "可以重试" in report.error
    assert (instance / "worker-heartbeat").exists()  # the worker said it was alive
    failed = AuditEvent.objects.get(action="job_failed", record_id=str(report.pk))
    assert failed.after["state"] == "failed"


@pytest.mark.django_db
def test_a_job_raising_a_full_disk_error_fails_with_a_chinese_reason_and_does_not_raise():
    import errno

    from zimao.jobs.registry import KINDS, Kind, register
    from zimao.jobs.services import job_run

    def full(job, progress):
        raise OSError(errno.ENOSPC, "No space left on device")

    register(Kind("full_probe", "探针", full, lambda u: True))
    try:
        job = Job.objects.create(kind="full_probe", zone_code="guangdong")
        assert job_run(job.pk, 1) == "failed"  # returned, not raised: the worker goes on
    finally:
        del KINDS["full_probe"]
    job.refresh_from_db()
    assert job.state == "failed" and "磁盘空间已满" in job.error
    assert AuditEvent.objects.filter(action="job_failed", record_id=str(job.pk)).exists()


def test_serve_starts_its_worker_again_when_it_dies_and_stops_it_at_the_end(tmp_path, caplog):
    """A worker process that keeps exiting is restarted after a growing pause, each exit
    logged; stopping ends the supervision and a running worker."""
    import sys

    from zimao.web.management.commands.serve import Supervisor

    starts = tmp_path / "starts"
    dying = [sys.executable, "-c", f"open({str(starts)!r}, 'a').write('x'); raise SystemExit(3)"]
    supervisor = Supervisor(dying, first_pause=0.05, max_pause=0.2).start()
    deadline = time.monotonic() + 60
    while (not starts.exists() or len(starts.read_text()) < 3) and time.monotonic() < deadline:
        time.sleep(0.05)
    supervisor.stop()
    assert len(starts.read_text()) >= 3
    assert "job worker exited (code 3)" in caplog.text
    count = len(starts.read_text())
    time.sleep(0.5)
    assert len(starts.read_text()) == count  # stopped: no further start

    lasting = Supervisor([sys.executable, "-c", "import time; time.sleep(120)"]).start()
    deadline = time.monotonic() + 60
    while lasting.process is None and time.monotonic() < deadline:
        time.sleep(0.05)
    lasting.stop()
    assert lasting.process is not None and lasting.process.poll() is not None
    assert lasting.starts == 1


def test_a_job_start_that_cannot_store_its_inputs_keeps_nothing_and_says_why(
    cast, settings, tmp_path
):
    """The uploads cannot be written (the jobs folder is a plain file): no job, no queue entry,
    no audit event, and a Chinese reason; a start that commits is a success."""
    from zimao.jobs.services import JobStartFailed, job_dir

    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    settings.JOBS_DIR = blocked / "jobs"

    def keep(job):
        folder = job_dir(job)
        folder.mkdir(parents=True)  # raises: the disk takes no write
        return {"files": []}

    with pytest.raises(JobStartFailed, match="任务未能加入队列"):
        job_start(user=cast.nina, kind="reindex", prepare=keep)
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not AuditEvent.objects.filter(action="job_start").exists()

    settings.JOBS_DIR = tmp_path / "jobs"
    job = job_start(user=cast.nina, kind="reindex", prepare=keep)
    assert Job.objects.get(pk=job.pk).state == "queued"
    assert DBTaskResult.objects.filter(id=job.task_id).exists()


def test_an_upload_the_disk_cannot_take_answers_503_and_queues_nothing(cast, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    settings.JOBS_DIR = blocked / "jobs"
    client = Client()
    client.force_login(cast.zoe)
    response = upload(client, sample_files(2))
    assert response.status_code == 503
    assert "任务未能加入队列，未保存任何内容" in response.content.decode()
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()
