"""Passages: paragraph-sized pieces of a document, the unit search returns and links to."""

import re
from collections.abc import Iterator

PASSAGE_CHARS = 400


def passages(text: str) -> Iterator[tuple[int, str]]:
    """Paragraph-sized pieces of a text with their offsets; short paragraphs are merged."""
    start = None
    end = 0
    for match in re.finditer(r"[^\n]+", text):
        if start is None:
            start = match.start()
        end = match.end()
        if end - start >= PASSAGE_CHARS:
            yield start, text[start:end]
            start = None
    if start is not None and text[start:end].strip():
        yield start, text[start:end]
