"""`zimao extract`: facts of every readable file; the others are named with their reason."""

import json
from functools import partial

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.text.builders import make_pdf_with_missing_pages


def test_unreadable_and_overlong_files_are_reported_and_the_rest_extracted(
    tmp_path, capsys, monkeypatch
):
    from zimao.documents.management.commands import extract

    good = tmp_path / "good.txt"
    good.write_text("横琴片区审批时限压减88%。", "utf-8")
    dense = tmp_path / "dense.txt"
    dense.write_text("新设企业300家，引进项目12个，投资5亿元，用地20亩，就业800人。", "utf-8")
    short = tmp_path / "short.pdf"
    short.write_bytes(make_pdf_with_missing_pages(9))
    monkeypatch.setattr(extract, "extract_text", partial(extract.extract_text, max_facts=4))
    with pytest.raises(CommandError, match="2 file"):
        call_command("extract", str(short), str(good), str(dense))
    out, err = capsys.readouterr()
    facts = [json.loads(line) for line in out.splitlines()]
    assert {f["doc"] for f in facts} == {str(good)}
    assert {"zone", "quantity", "effect"} <= {f["type"] for f in facts}
    assert "page 2 of the 9 it declares cannot be read" in err
    assert "事实数量超过上限 4" in err
