"""`zimao ingest`: every file once, failures recorded with their reason, nothing half-stored."""

from functools import partial
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.text.builders import SAMPLE, make_docx, make_pdf
from zimao.audit.models import AuditEvent
from zimao.documents.models import Document, Fact

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "notice.txt").write_bytes(SAMPLE.encode("gb18030"))
    (folder / "sub" / "report.pdf").write_bytes(make_pdf([SAMPLE.splitlines()]))
    (folder / "list.docx").write_bytes(make_docx(SAMPLE.splitlines()))
    (folder / "page.html").write_text(f"<html><body><p>{SAMPLE}</p></body></html>", "utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 truncated")
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    return folder


def test_a_folder_is_ingested_and_failures_are_recorded(inbox, media, capsys):
    call_command("ingest", str(inbox))
    out = capsys.readouterr().out
    assert "5 files" in out and "4 new" in out and "1 failed" in out
    failed = Document.objects.get(status="failed")
    assert failed.original_name == "broken.pdf"
    assert "damaged or truncated" in failed.error
    assert failed.text == "" and not failed.file and not failed.facts.exists()
    for document in Document.objects.filter(status="processed"):
        assert document.facts.filter(type="zone").exists()
        assert (media / document.file.name).exists()
    assert AuditEvent.objects.filter(action="ingest").count() == 5


def test_facts_point_at_the_stored_text(inbox, media):
    call_command("ingest", str(inbox), "--quiet")
    for fact in Fact.objects.select_related("document"):
        assert fact.document.text[fact.start : fact.end] == fact.text


def test_the_same_content_is_not_stored_twice(inbox, media, capsys):
    call_command("ingest", str(inbox), "--quiet")
    count = Document.objects.count()
    facts = Fact.objects.count()
    call_command("ingest", str(inbox))
    assert "4 already ingested" in capsys.readouterr().out
    assert (Document.objects.count(), Fact.objects.count()) == (count, facts)


def test_the_encoding_used_is_recorded(inbox, media):
    call_command("ingest", str(inbox / "notice.txt"), "--quiet")
    assert Document.objects.get().encoding == "gb18030"


def test_two_workers_store_the_same_as_one(inbox, media, tmp_path):
    call_command("ingest", str(inbox), "--quiet", "--workers", "2")
    with_two = sorted(Document.objects.values_list("sha256", "status"))
    facts_two = Fact.objects.count()
    Document.objects.all().delete()
    call_command("ingest", str(inbox), "--quiet")
    assert sorted(Document.objects.values_list("sha256", "status")) == with_two
    assert Fact.objects.count() == facts_two


def test_hostile_files_are_recorded_as_failures_with_nothing_else_stored(tmp_path, media, capsys):
    from tests.text.builders import make_zip_bomb

    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "bomb.docx").write_bytes(make_zip_bomb())
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 100)
    (folder / "line.txt").write_bytes(("进出口增长5%" * 300_000).encode())
    (folder / "fine.txt").write_text("广东自贸试验区新设企业300余家。", "utf-8")
    call_command("ingest", str(folder))
    assert "1 new" in capsys.readouterr().out
    failed = Document.objects.filter(status="failed")
    assert sorted(d.original_name for d in failed) == ["bomb.docx", "junk.txt", "line.txt"]
    assert all(d.error and not d.text and not d.file for d in failed)
    assert not Fact.objects.filter(document__in=failed).exists()
    assert sorted(p.name for p in media.rglob("*") if p.is_file()) == [
        Document.objects.get(status="processed").file.name.rsplit("/", 1)[-1]
    ]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Five files; the second declares PDF pages it lacks, the fourth trips the extractor."""
    from tests.text.builders import make_pdf_with_missing_pages

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "1_notice.txt").write_text("广东自贸试验区新设企业300余家。", "utf-8")
    (folder / "2_short.pdf").write_bytes(make_pdf_with_missing_pages(9))
    (folder / "3_report.txt").write_text("企业开办时间从72小时压缩到37小时。", "utf-8")
    (folder / "4_trap.txt").write_text("这一份会让提取出错。", "utf-8")
    (folder / "5_news.txt").write_text("横琴片区审批时限压减88%。", "utf-8")
    return folder


def test_a_hostile_file_in_the_middle_of_a_batch_is_refused_and_the_rest_go_on(
    batch, media, capsys
):
    from tests.hostile.files import pdf_flate_bomb

    (batch / "4_trap.pdf").write_bytes(pdf_flate_bomb(1024))
    (batch / "4_trap.txt").unlink()
    call_command("ingest", str(batch), "--quiet")
    out = capsys.readouterr().out
    assert "5 files" in out and "3 new" in out and "2 failed" in out and "1 refused" in out
    refused = [line for line in out.splitlines() if "已拒绝" in line]
    assert len(refused) == 1 and "4_trap.pdf" in refused[0]
    assert "超出读取上限" in refused[0] and "256 MB" in refused[0]  # the PDF stream budget
    failed = {d.original_name: d.error for d in Document.objects.filter(status="failed")}
    assert "page 2 of the 9 it declares cannot be read" in failed["2_short.pdf"]
    assert failed["4_trap.pdf"].startswith("超出读取上限")
    processed = Document.objects.filter(status="processed")
    assert sorted(d.original_name for d in processed) == [
        "1_notice.txt",
        "3_report.txt",
        "5_news.txt",
    ]
    assert all(d.facts.exists() for d in processed)


def test_files_are_parsed_in_the_capped_child_process(tmp_path, media, capsys, settings):
    """The caps an upload gets apply here too: with a 1 s budget, a file within every size
    budget that takes longer to read is refused naming the time limit."""
    settings.DOCUMENT_READ_SECONDS = 1
    folder = tmp_path / "caps"
    folder.mkdir()
    long_text = "广东自贸试验区新设企业300余家，进出口增长5%。\n" * 60_000  # within every budget
    (folder / "a_long.txt").write_text(long_text, "utf-8")
    call_command("ingest", str(folder))
    out = capsys.readouterr().out
    long = Document.objects.get(original_name="a_long.txt")
    assert (long.status, long.error) == ("failed", "超出读取上限：读取时间超过 1 秒")
    assert "a_long.txt：已拒绝，超出读取上限：读取时间超过 1 秒" in out


def test_a_file_larger_than_the_readers_accept_is_refused_unread(tmp_path, media, capsys):
    from zimao.text.read import MAX_BYTES

    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no disk used
    call_command("ingest", str(big), "--quiet")
    document = Document.objects.get()
    assert (document.status, document.error) == ("failed", "超出读取上限：文件大小超过 64 MB")
    assert "huge.txt：已拒绝，超出读取上限：文件大小超过 64 MB" in capsys.readouterr().out


def test_an_extractor_error_becomes_the_files_failure_reason(monkeypatch):
    from zimao.documents import analysis

    def extract(text: str, *args, **kwargs):
        raise RuntimeError("an extractor bug")

    monkeypatch.setattr(analysis, "extract_text", extract)
    result = analysis.analyse_bytes("trap.txt", "这一份会让提取出错。".encode())
    assert result.error == "无法处理该文件（RuntimeError: an extractor bug）"


def test_workers_record_a_failure_and_go_on(batch, media, capsys):
    call_command("ingest", str(batch), "--workers", "2")
    out = capsys.readouterr().out
    assert "4 new" in out and "1 failed" in out
    assert Document.objects.get(status="failed").original_name == "2_short.pdf"


def test_a_document_past_the_extraction_limits_fails_with_the_reason(tmp_path, media, monkeypatch):
    from zimao.documents import analysis
    from zimao.documents.management.commands.ingest import store

    monkeypatch.setattr(analysis, "extract_text", partial(analysis.extract_text, max_facts=3))
    path = tmp_path / "dense.txt"
    path.write_text("新设企业300家，引进项目12个，投资5亿元，用地20亩。", "utf-8")
    assert store(path, analysis.analyse_bytes(path.name, path.read_bytes()))[0] == "failed"
    document = Document.objects.get()
    assert (document.status, document.error) == ("failed", "事实数量超过上限 3")
