"""Extraction of hostile text stays linear, and hard limits stop it with a stated reason."""

import random
import time

import pytest

from tests.text.builders import make_docx
from zimao.text.extract import ExtractionLimit, extract_text
from zimao.text.read import read_bytes

PIECES = [
    "审批时间",
    "由",
    "从",
    "压缩至",
    "减为",
    "精简到",
    "增长",
    "同比",
    "广东自贸试验区南沙片区",
    "个工作日",
    "项",
    "万元",
    "**",
    "个百分点",
    "排名第",
    "位",
    "节约成本",
    "一半",
    "六成",
    "零",
    "2019年",
]


def unpunctuated_lines(size: int, seed: int = 7) -> list[str]:
    """Lines without clause punctuation, full of numbers, units and change verbs."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    lines, total = [], 0
    while total < size:
        parts = []
        for _ in range(rng.randint(6, 30)):
            parts.append(rng.choice(PIECES))
            parts.append(str(rng.randint(0, 999)))
        line = "".join(parts)
        lines.append(line)
        total += len(line.encode()) + 1
    return lines


def test_a_700_kb_unpunctuated_document_is_extracted_in_linear_time():
    text = "\n".join(unpunctuated_lines(700 * 1024))
    started = time.process_time()  # CPU time of this process: the same on a busy machine
    facts = extract_text(text)
    elapsed = time.process_time() - started
    assert elapsed < 20, f"{elapsed:.1f} s for {len(text):,} characters"
    assert facts and all(text[f.start : f.end] == f.text for f in facts[:1000])


def test_a_word_file_of_unpunctuated_lines_is_extracted_quickly():
    data = make_docx(unpunctuated_lines(200 * 1024))
    started = time.process_time()
    extract_text(read_bytes(data, "lines.docx").text)
    assert time.process_time() - started < 20


def test_too_many_facts_stop_extraction_with_the_reason():
    text = "\n".join(unpunctuated_lines(20 * 1024))
    with pytest.raises(ExtractionLimit, match="事实数量超过上限 100"):
        extract_text(text, max_facts=100)


def test_a_spent_time_budget_stops_extraction_with_the_reason():
    with pytest.raises(ExtractionLimit, match=r"提取超时（超过 0 秒）"):
        extract_text("审批时间由5天压缩至1天。", time_budget=0)
