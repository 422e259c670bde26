"""Normalise extracted Chinese text while keeping a map back to the original characters.

Two views are produced from one original text:
- `lines`: full-width forms folded, PDF spacing around Chinese removed, running page headers and
  footers dropped; line breaks kept (case titles and table rows are line-based).
- `flow`: the lines view with lines broken mid-sentence joined again (numbers, units, dates and
  effects are read from it).
Every step only substitutes one character for one or deletes, so offsets map back exactly.
"""

import re
from collections import Counter
from dataclasses import dataclass

from .offsets import OffsetMap, complement

# Full-width ASCII to ASCII, except punctuation that Chinese text uses as its own.
_KEEP_FULLWIDTH = "，；：？！（）［］｛｝＂＇、"
FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH}
FOLD.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20})

CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d\u2026"
_SPACES = re.compile(r"[ \t]+")
_CJK_CHAR = re.compile(f"[{CJK}]")
_TERMINATORS = set("。！？；：!?;")
_BREAKS = re.compile(r"[ \t]*[\n\f](?:[ \t]*[\n\f])*[ \t]*")
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x0b\x85\u2028\u2029]")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-—–])?\s*$")


@dataclass(frozen=True)
class View:
    text: str
    map: OffsetMap

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original span of view characters start..end-1."""
        return self.map.span(start, end)


@dataclass(frozen=True)
class Normalized:
    original: str
    raw: View  # folded, page furniture removed, spacing kept (table cells)
    lines: View
    flow: View


def _delete(view: View, deletions: list[tuple[int, int]]) -> View:
    if not deletions:
        return view
    keep = complement(len(view.text), deletions)
    text = "".join(view.text[a:b] for a, b in keep)
    return View(text, view.map.after_deleting(keep))


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line; lines end at a newline or a form feed."""
    spans, start = [], 0
    for match in re.finditer(r"[\n\f]", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _page_furniture(text: str) -> list[tuple[int, int]]:
    """Find running headers, footers and page numbers at page edges (PDF text has \\f).

    Only the first and last line of a page are candidates, and a line with sentence
    punctuation is never furniture, so repeated body text survives.
    """
    pages = text.split("\f")
    if len(pages) < 2:
        return []
    edges: list[list[tuple[int, int, str]]] = []
    offset = 0
    for page in pages:
        lines = [
            (offset + a, offset + b, page[a:b].strip())
            for a, b in line_spans(page)
            if page[a:b].strip()
        ]
        edges.append([lines[0], lines[-1]] if len(lines) > 1 else lines)
        offset += len(page) + 1
    shape = Counter(re.sub(r"\d+", "#", s) for edge in edges for _, _, s in set(edge))
    # A running header needs three pages to be told from text; a page number needs two.
    threshold = max(3, len(pages) // 2) if len(pages) >= 3 else len(pages) + 1
    deletions = []
    for edge in edges:
        for start, end, stripped in edge:
            if any(p in stripped for p in "。，；！？"):
                continue
            if shape[re.sub(r"\d+", "#", stripped)] >= threshold or _PAGE_NUMBER.match(stripped):
                deletions.append((start, min(end + 1, len(text))))
    return deletions


_DELETABLE_SPACE = re.compile(
    rf"(?<=[{CJK}\n\f(\[])[ \t]+|[ \t]+(?=[{CJK}\n\f%‰)\]])|^[ \t]+|[ \t]+$|(?<=[ \t])[ \t]+",
    re.MULTILINE,
)


def _space_deletions(text: str) -> list[tuple[int, int]]:
    """Spaces next to Chinese, at line ends or inside numbers with units are PDF artefacts;
    other runs of spaces shrink to one."""
    return [m.span() for m in _DELETABLE_SPACE.finditer(text)]


def _raw_view(original: str) -> View:
    folded = original.translate(FOLD)
    folded = _OTHER_BREAKS.sub("\n", folded)  # Word's manual breaks, Unicode separators
    view = View(folded, OffsetMap.identity(len(folded)))
    view = _delete(view, [(m.start(), m.end()) for m in re.finditer(r"\r", view.text)])
    return _delete(view, _page_furniture(view.text))


def _full_width(text: str) -> int:
    """The length of a full line: lines this long were wrapped by the layout, not ended."""
    lengths = sorted(len(line) for line in text.split("\n") if line.strip())
    return lengths[int(len(lengths) * 0.75)] if len(lengths) >= 4 else 10**9


def _substitute(text: str, replacements: dict[int, str]) -> str:
    """Replace single characters at the given positions (lengths stay the same)."""
    pieces, position = [], 0
    for index in sorted(replacements):
        pieces += [text[position:index], replacements[index]]
        position = index + 1
    pieces.append(text[position:])
    return "".join(pieces)


def _flow_view(lines: View) -> View:
    text = lines.text
    if "\n" not in text and "\f" not in text:
        return lines
    full = _full_width(text)
    replacements: dict[int, str] = {}
    deletions = []
    for match in _BREAKS.finditer(text):
        start, end = match.span()
        left = text[start - 1] if start else ""
        right = text[end] if end < len(text) else ""
        if not left or not right or left in _TERMINATORS:
            deletions.append((start + 1, end))  # keep one break at a sentence end
            if text[start] != "\n":
                replacements[start] = "\n"
        elif left.isdigit() and right.isdigit() and _line_length(text, start) >= 0.9 * full:
            deletions.append((start, end))  # a number wrapped onto the next line
        elif left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
            replacements[start] = " "  # two words or numbers: keep them apart
            deletions.append((start + 1, end))
        else:
            deletions.append((start, end))
    return _delete(View(_substitute(text, replacements), lines.map), deletions)


def _line_length(text: str, end: int) -> int:
    return end - (text.rfind("\n", 0, end) + 1)


def normalize(original: str) -> Normalized:
    raw = _raw_view(original)
    lines = _delete(raw, _space_deletions(raw.text))
    return Normalized(original, raw, lines, _flow_view(lines))
