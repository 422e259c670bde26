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

# Traditional characters of scanned and Hong Kong / Taiwan texts that policy documents use,
# folded one for one to the simplified form (億元 → 亿元, 縮短 → 缩短).
_TRADITIONAL = (
    "億亿萬万兩两個个項项點点噸吨額额長长減减縮缩壓压從从為为較较時时間间業业務务幾几來来數数"
    "門门證证辦办續续費费稅税貿贸進进際际資资審审環环節节簡简優优區区試试驗验園园單单關关產产"
    "經经濟济發发總总類类種种條条張张車车輛辆臺台場场歷历與与於于實实現现報报將将讓让這这們们"
    "國国東东廣广陽阳濱滨團团華华蘇苏貴贵遼辽雲云龍龙鄭郑陝陕寧宁島岛灣湾瓊琼蘭兰錢钱價价據据"
    "計计劃划統统週周鐘钟漲涨昇升達达約约餘余僅仅傳传專专會会議议規规則则標标準准權权縣县鎮镇"
    "鄉乡機机構构網网絡络電电貨货運运輸输創创舉举鏈链號号員员處处應应當当動动對对質质轉转設设"
    "書书後后裡里隻只製制臨临開开復复邊边貼贴獲获歲岁財财稱称過过還还億亿"
)
TRADITIONAL = {ord(a): ord(b) for a, b in zip(_TRADITIONAL[::2], _TRADITIONAL[1::2], strict=True)}
_TRADITIONAL_CHAR = re.compile("[" + _TRADITIONAL[::2] + "]")
# A comma between digits before a group of three digits is a thousands separator even when OCR
# wrote it full width (４，８００列); a circle or a letter O among numerals is a zero.
_WIDE_COMMA = re.compile(r"，(?=\d{3}(?!\d))")  # a literal first: a fast scan
_CIRCLE_ZERO = re.compile(
    r"[○◯ＯO](?<=[一二三四五六七八九〇零][○◯ＯO])(?=[一二三四五六七八九〇零○◯ＯO年])"
)
_LETTER_ZERO = re.compile(r"[Oo](?<=\d[Oo])(?=\d|[Oo]\d|年)")

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


# 1 200万元, 3 . 5 %, 2 0 2 5年: a space inside a number of running text (OCR, PDF).
_NUMBER_SPACE = re.compile(
    r"(?<![\d.,])\d{1,3}( )\d{3}(?![\d ])|(?<=\d)( )\.(?=\d| \d)"
    r"|(?:(?<=\d\.)|(?<=\d \.))( )(?=\d)|(?<=\d)( )(?=\d(?: \d)*[年月日])"
    r"|(?<=[\u4e00-\u9fff]\d)( )(?=\d{1,2}(?:\.\d+)?%)"  # 压缩了6 5%
)


_DIGIT_SPACE = re.compile(r" (?<=[\d.] )(?=[\d.])")  # starts with a literal: a fast scan


def _number_spaces(text: str) -> list[tuple[int, int]]:
    """Only around a space between digits (rare) is the full pattern tried."""
    deletions: set[tuple[int, int]] = set()
    done = 0
    for space in _DIGIT_SPACE.finditer(text):
        if space.start() < done:
            continue
        for match in _NUMBER_SPACE.finditer(text, max(0, space.start() - 4), space.end() + 12):
            done = max(done, match.end())
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line = text[line_start : len(text) if line_end < 0 else line_end]
            if "\t" in line or "  " in line:
                continue  # a table row: the space may separate two cells
            for group in range(1, 6):
                if match.group(group):
                    deletions.add(match.span(group))
    return sorted(deletions)


def _space_deletions(text: str) -> list[tuple[int, int]]:
    """Spaces next to Chinese, at line ends or inside numbers with units are PDF artefacts;
    other runs of spaces shrink to one."""
    found = [m.span() for m in _DELETABLE_SPACE.finditer(text)]
    if " " in text:
        found += _number_spaces(text)
    return found


def _zeros_and_commas(text: str) -> str:
    """One-for-one OCR repairs: ４，８００ → 4,800, 二○二五 → 二〇二五, 2O25 → 2025."""
    replacements: dict[int, str] = {}
    if "，" in text:
        replacements.update(
            {
                m.start(): ","
                for m in _WIDE_COMMA.finditer(text)
                if m.start() > 0 and text[m.start() - 1].isdigit()
            }
        )
    if "○" in text or "◯" in text or "O" in text:
        replacements.update({m.start(): "〇" for m in _CIRCLE_ZERO.finditer(text)})
    if "O" in text or "o" in text:
        replacements.update({m.start(): "0" for m in _LETTER_ZERO.finditer(text)})
    return _substitute(text, replacements) if replacements else text


# A line that is only a page mark: — 3 —, - 3 -, ·3·, 第 3 页, 3/12, 第3页 共12页. A bare number
# on its own line is not removed (it may be a table cell).
_PAGE_MARK = re.compile(
    r"^[ \t]*(?:[-—–－·•][ \t]*\d{1,4}[ \t]*[-—–－·•]"
    r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*共[ \t]*\d{1,4}[ \t]*页)?"
    r"|\d{1,4}[ \t]*/[ \t]*\d{1,4})[ \t]*$",
    re.MULTILINE,
)


_LINE_START_MARK = re.compile(r"\n(?=[ \t]*(?:[-—–－·•]|第|\d{1,4}[ \t]*/))")


def _page_marks(text: str) -> list[tuple[int, int]]:
    """Lines that are only a page mark; the full pattern runs only on lines that start like
    one (found by a fast scan for line breaks)."""
    marks = []
    starts = [m.end() for m in _LINE_START_MARK.finditer(text)]
    if text[:1] in "-—–－·•第" or text[:1].isdigit():
        starts.insert(0, 0)
    for start in starts:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start <= 24 and _PAGE_MARK.match(text, start, end):
            marks.append((start, min(end + 1, len(text))))
    return marks


def _raw_view(original: str) -> View:
    folded = original.translate(FOLD)
    if _TRADITIONAL_CHAR.search(folded):
        folded = folded.translate(TRADITIONAL)
    folded = _zeros_and_commas(folded)
    folded = _OTHER_BREAKS.sub("\n", folded)  # Word's manual breaks, Unicode separators
    view = View(folded, OffsetMap.identity(len(folded)))
    view = _delete(view, [(m.start(), m.end()) for m in re.finditer(r"\r", view.text)])
    view = _delete(view, _page_furniture(view.text))
    return _delete(view, _page_marks(view.text))


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
        elif (
            left.isdigit()
            and right.isdigit()
            and (_line_length(text, start) >= 0.9 * full or _running_text(text, start, end))
        ):
            deletions.append((start, end))  # a number wrapped onto the next line
        elif left.isascii() and left.isalnum() and right.isascii() and right.isalnum():
            replacements[start] = " "  # two words or numbers: keep them apart
            deletions.append((start + 1, end))
        else:
            deletions.append((start, end))
    return _delete(View(_substitute(text, replacements), lines.map), deletions)


def _running_text(text: str, start: int, end: int) -> bool:
    """A break inside a sentence: the line before holds Chinese text and neither line is a
    table row (tabs, aligned spaces)."""
    line_start = text.rfind("\n", 0, start) + 1
    next_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end : len(text) if next_end < 0 else next_end]
    if "\t" in before or "\t" in after or "  " in before or "  " in after:
        return False
    digits = re.search(r"(.)[\d.,]+$", before)
    if len(before) < 10 or digits is None or not _CJK_CHAR.match(digits.group(1)):
        return False  # a heading (专栏 01) or a label before the break
    return not re.match(r"\d+[.、．)）](?!\d)", after)


def _line_length(text: str, end: int) -> int:
    return end - (text.rfind("\n", 0, end) + 1)


def normalize(original: str) -> Normalized:
    raw = _raw_view(original)
    lines = _delete(raw, _space_deletions(raw.text))
    return Normalized(original, raw, lines, _flow_view(lines))
