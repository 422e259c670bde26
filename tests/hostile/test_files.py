"""The hostile-file corpus through the upload page: the request only keeps the file and answers
with the job's page; the job refuses the file within 10 s, with the limit named in Chinese on
the job's page, the process that runs it under 500 MB, and nothing but the failure stored."""

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import person, run_queued_jobs
from tests.hostile import files
from zimao.accounts.models import Role
from zimao.documents.analysis import analyse_bounded
from zimao.documents.models import Document
from zimao.jobs.models import Job

pytestmark = pytest.mark.django_db

CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_peak() -> bool:
    """Start a new peak of resident memory for this process (Linux), if the kernel lets us."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return _status_mb("VmHWM")


# What one hostile upload may add to the process that serves it: a served process starts at
# about 200 MB (Django, the segmenter, scikit-learn), so it stays under 500 MB. The test process
# itself has run many tests before, so its own starting size is not the measure.
UPLOAD_BUDGET_MB = 300


CORPUS: list[tuple[str, Callable[[], bytes], str]] = [
    ("bomb.pdf", lambda: files.pdf_flate_bomb(1024), "PDF 内容解压后超过 256 MB"),
    ("nested-bomb.pdf", lambda: files.pdf_nested_bomb(1024), "超出读取上限"),
    ("bomb.docx", lambda: files.docx_bomb(200), "Word 文件解压后达"),
    ("huge-page.pdf", lambda: files.text_pdf(media_box="0 0 90000 90000"), "边长超过 14,400 点"),
    ("deep.html", lambda: files.deep_html(1_000_000), "HTML 标签超过 500,000 个"),
    ("pdf-named.txt", lambda: files.pdf_flate_bomb(512), "PDF 内容解压后超过"),
    ("bomb-named.pdf", lambda: files.docx_bomb(200), "Word 文件解压后达"),
    ("long.txt", lambda: ("自贸试验区，增长5%。\n" * 600_000).encode(), "文字超过 500 万字"),
]


@pytest.mark.parametrize(("name", "make", "reason"), CORPUS, ids=[c[0] for c in CORPUS])
def test_each_hostile_upload_is_refused_fast_and_small(client, var_dir, name, make, reason):
    user = person("alice", Role.NATIONAL)
    client.force_login(user)
    data = make()
    measured = _reset_peak()
    before = _status_mb("VmRSS")
    started = time.monotonic()
    response = client.post(reverse("documents:upload"), {"file": SimpleUploadedFile(name, data)})
    answered = time.monotonic() - started
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    assert not Document.objects.exists()  # nothing is read inside the request
    assert answered < 5, f"{name}: the request took {answered:.1f} s"
    started = time.monotonic()
    (job_id,) = run_queued_jobs()
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"{name} took {elapsed:.1f} s in its job"
    if measured:
        added = _peak_mb() - before
        assert added < UPLOAD_BUDGET_MB, f"{name}: the upload added {added:.0f} MB"
    document = Document.objects.get(original_name=name)
    assert document.status == Document.Status.FAILED
    assert reason in document.error
    assert document.text == "" and not document.file and not document.facts.exists()
    job = Job.objects.get(pk=job_id)
    assert job.state == Job.State.DONE and reason in job.message
    assert reason in client.get(response.url).content.decode()  # the limit, in Chinese


def test_an_honest_file_still_reads_in_the_bounded_reader():
    analysis = analyse_bounded("ok.pdf", files.text_pdf("Pilot zone 2020: 300 new firms"))
    assert analysis.error == ""
    assert "300 new firms" in analysis.text


def test_a_parse_past_its_time_is_stopped_at_the_wall_clock():
    """A budget of a fraction of a second stops even an honest long read, and says so."""
    data = ("上海自贸试验区新设企业300余家，同比增长12.5%。\n" * 40_000).encode()
    started = time.monotonic()
    analysis = analyse_bounded("slow.txt", data, seconds=0.2)
    assert time.monotonic() - started < 5
    assert analysis.error == "超出读取上限：读取时间超过 0.2 秒"
    assert analysis.text == "" and analysis.facts == []


def test_a_parse_past_its_memory_is_stopped_by_the_process_limit():
    """Two inflations: the first is small, so only the child's memory cap stops pdfium."""
    started = time.monotonic()
    analysis = analyse_bounded("nested.pdf", files.pdf_nested_bomb(1024), memory_mb=256)
    assert time.monotonic() - started < 10
    assert analysis.error.startswith("超出读取上限")
    assert "256 MB" in analysis.error
