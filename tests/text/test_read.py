"""Every reader and encoding, and hostile files that must fail with a clear message."""

import tracemalloc

import pytest

from tests.text.builders import (
    SAMPLE,
    make_docx,
    make_lying_docx,
    make_pdf,
    make_pdf_with_missing_pages,
    make_zip_bomb,
)
from zimao.text.extract import extract_text
from zimao.text.read import DocumentError, read_bytes


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_plain_text_in_every_encoding_is_decoded_and_named(encoding, reported):
    document = read_bytes(SAMPLE.encode(encoding), "notice.txt")
    assert document.text == SAMPLE
    assert document.encoding == reported
    assert document.format == "text"


def test_html_keeps_inline_numbers_whole_and_drops_scripts():
    html = (
        "<html><head><meta charset='gbk'><title>简报</title><script>var x = 99;</script></head>"
        "<body><nav>首页</nav><p>通关时间从<b>72</b>小时压缩到<em>37</em>小时。</p>"
        "<table><tr><td>1</td><td>公证改革</td><td>司法部</td><td>全国</td></tr></table></body></html>"
    )
    document = read_bytes(html.encode("gbk"), "page.html")
    assert document.encoding == "gb18030"
    assert "从72小时压缩到37小时" in document.text
    assert "99" not in document.text
    assert "1\t公证改革\t司法部\t全国" in document.text


def test_pdf_pages_are_read_with_form_feeds_between_them():
    data = make_pdf([["第一页：面积119.99平方公里。"], ["第二页：新设企业300余家。"]])
    document = read_bytes(data, "report.pdf")
    assert document.format == "pdf"
    assert document.text.count("\f") == 1
    assert "119.99平方公里" in document.text.replace(" ", "")


def test_pdf_running_headers_and_page_numbers_do_not_become_facts():
    pages = [[f"第{i}部分，进出口增长{i}%。"] for i in range(1, 5)]
    document = read_bytes(make_pdf(pages, header="２０２０年度报告 内部资料"), "r.pdf")
    facts = extract_text(document.text)
    assert sorted(f.fields["value"] for f in facts if f.type == "quantity") == [1, 2, 3, 4]
    assert not [f for f in facts if f.type == "date"]


def test_a_word_document_gives_paragraphs_and_table_rows():
    data = make_docx(
        ["各片区新设企业两万家。"],
        [["序号", "改革事项", "负责单位", "推广范围"], ["1", "跨境结算便利化", "人民银行", "全国"]],
    )
    document = read_bytes(data, "list.docx")
    assert document.format == "docx"
    rows = [f for f in extract_text(document.text) if f.type == "table_row"]
    assert rows[-1].fields["item"] == "跨境结算便利化"
    assert rows[-1].fields["scope"] == "全国"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (make_pdf([["正文"]])[:400], "cut.pdf", "damaged or truncated"),
        (make_zip_bomb(), "bomb.docx", "超出读取上限：Word 文件解压后"),
        (b"PK\x03\x04 this is no zip at all", "fake.docx", "damaged"),
        (bytes(range(256)) * 50, "junk.bin", "not a text document"),
        (b"", "empty.txt", "empty"),
    ],
    ids=["cut.pdf", "bomb.docx", "fake.docx", "junk.bin", "empty.txt"],
)
def test_hostile_files_fail_with_a_clear_message(data, name, message):
    """Each case is named by its file name (the ids keep the bytes out of reports)."""
    with pytest.raises(DocumentError, match=message):
        read_bytes(data, name)


def test_a_zip_directory_that_understates_sizes_is_read_within_the_budget():
    data = make_lying_docx(["前海蛇口片区新设企业300余家。"], padding_mb=200)
    tracemalloc.start()
    try:
        document = read_bytes(data, "lying.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "新设企业300余家" in document.text
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_a_member_that_inflates_past_the_budget_is_stopped_while_reading():
    with pytest.raises(DocumentError, match="超出读取上限：Word 文件解压后"):
        read_bytes(make_zip_bomb(), "bomb.docx")


def test_a_pdf_that_declares_more_pages_than_it_has_is_a_reader_error():
    with pytest.raises(DocumentError, match="page 2 of the 9 it declares cannot be read"):
        read_bytes(make_pdf_with_missing_pages(9), "short.pdf")


def test_a_giant_single_line_is_refused():
    with pytest.raises(DocumentError, match="single line"):
        read_bytes(("增长5%" * 2_000_000).encode(), "line.txt")


def test_a_pdf_without_text_layer_is_explained():
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(10, 10, 100, 100)
    pdf.showPage()
    pdf.save()
    with pytest.raises(DocumentError, match="no text layer"):
        read_bytes(buffer.getvalue(), "scan.pdf")


def test_html_whitespace_between_inline_elements_keeps_numbers_apart():
    page = "<html><body><p>首次登记\t<b>15</b>\t<b>3</b></p><p>共<b>12</b>家</p></body></html>"
    assert read_bytes(page.encode("utf-8"), "x.html").text == "首次登记 15 3\n共12家"
