"""Bare numbers in table cells, with the unit the table states elsewhere.

A statistical table writes `1286.4` in a cell and the unit once: in the column header
(`金额（亿元）`), in a unit column of the row (`计量单位`), in the row label or in the caption
(`单位：亿元、%`). Each such cell is a quantity that keeps its row and column labels. A table
whose columns are a before and an after value (改革前 / 改革后) also gives one effect per row.
Works on the raw view, where tabs and aligned spaces still separate the cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .facts import Fact
from .normalize import line_spans
from .numbers import tidy
from .quantities import UNITS, find_quantities

_SPACED = re.compile(r"[ \u3000]{2,}")
_BARE = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_BRACKET = re.compile(r"[（(]\s*(?:单位\s*[:：])?\s*([^（）()]{1,8}?)\s*[)）]")
_CAPTION_UNITS = re.compile(r"(?:计量)?单位\s*[:：]\s*([^\s）)]+)")
_CAPTION = re.compile(r"^\s*(?:附?表\s*\d|.{0,40}(?:表|情况|指标|统计|对比|单位\s*[:：]))")
_MAGNITUDE = "万亿千百"
RATE_WORDS = ("同比", "增长", "增速", "增幅", "比重", "占比", "比上年", "±", "权重", "比例")
SCORE_WORDS = ("得分", "分值", "评分", "分数")
SKIP_WORDS = ("序号", "排名", "名次", "位次", "编码", "代码", "编号", "排序", "年份", "序")
UNIT_COLUMN = ("计量单位", "单位")
BEFORE_WORDS = ("改革前", "原", "以前", "过去", "之前", "此前")
AFTER_WORDS = ("改革后", "现", "目前", "之后", "现在")


def is_unit(text: str) -> bool:
    """`亿元`, `万吨`, `%`, `个工作日`: something the quantity pattern knows as a unit."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text in UNITS:
        return True
    stripped = text.lstrip(_MAGNITUDE)
    return stripped != text and stripped in UNITS


def unit_in(label: str) -> str | None:
    """The unit a header or a row label states: 金额（亿元） → 亿元, 占比% → %."""
    label = unicodedata.normalize("NFKC", label).strip()
    for match in reversed(list(_BRACKET.finditer(label))):
        if is_unit(match.group(1)):
            return match.group(1).strip()
    if label.endswith(("%", "％")):
        return "%"
    return None


def caption_units(line: str) -> list[str]:
    """单位：亿元、% → [亿元, %]; （单位：条） → [条]."""
    match = _CAPTION_UNITS.search(unicodedata.normalize("NFKC", line))
    if not match:
        return []
    return [u for u in re.split(r"[、,，/；;]", match.group(1)) if u and is_unit(u)]


@dataclass
class _Cell:
    start: int  # in the view
    end: int
    text: str


def _cells(text: str, start: int, end: int) -> list[_Cell]:
    """Cells of one line: tab-separated (empty cells kept, so columns stay in place) or
    separated by runs of two or more spaces."""
    line = text[start:end]
    if "\t" in line:
        cells, position = [], 0
        for part in line.split("\t"):
            lead = len(part) - len(part.lstrip())
            body = part.strip()
            cells.append(_Cell(start + position + lead, start + position + lead + len(body), body))
            position += len(part) + 1
        return cells
    cells = []
    position = 0
    for match in [*_SPACED.finditer(line), None]:
        stop = match.start() if match else len(line)
        part = line[position:stop]
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        if body:
            cells.append(_Cell(start + position + lead, start + position + lead + len(body), body))
        position = match.end() if match else len(line)
    return cells


def _bare(cell: str) -> bool:
    return bool(_BARE.fullmatch(cell))


def _is_header(cells: list[_Cell]) -> bool:
    """A row of column names: no bare number other than a year."""
    texts = [c.text for c in cells if c.text]
    return bool(texts) and not any(_bare(t) and not _YEAR.fullmatch(t) for t in texts)


def _display(text: str, start: int, position: int) -> int:
    """Display column of `position` in the line starting at `start` (wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text[start:position])


def _column_of(
    text: str, line_start: int, header: list[_Cell], header_start: int, cell: _Cell
) -> int:
    """The header column a space-aligned cell sits under: the nearest by display position."""
    left = _display(text, line_start, cell.start)
    right = left + _display(text, cell.start, cell.end)
    best, distance = 0, 10**9
    for index, head in enumerate(header):
        h_left = _display(text, header_start, head.start)
        h_right = h_left + _display(text, head.start, head.end)
        gap = max(0, max(left, h_left) - min(right, h_right))
        overlap = min(right, h_right) - max(left, h_left)
        score = gap - max(0, overlap)
        if score < distance:
            best, distance = index, score
    return best


def _caption_lines(text: str, lines: list[tuple[int, int]], first: int, after: int) -> list[str]:
    """Up to three non-empty lines above the table that are no sentence, and the line just
    below it when it states the unit."""
    found: list[str] = []
    index = first - 1
    while index >= 0 and len(found) < 3:
        line = text[lines[index][0] : lines[index][1]].strip()
        index -= 1
        if not line:
            if found:
                break
            continue
        if line.endswith(("。", "；", ";")) or len(line) > 60:
            break
        found.append(line)
    if after < len(lines):
        below = text[lines[after][0] : lines[after][1]].strip()
        if below.startswith(("单位", "计量单位")):
            found.append(below)
    return found


def _units_from_caption(captions: list[str]) -> list[str]:
    units: list[str] = []
    for line in captions:
        units += caption_units(line)
        if not units and _CAPTION.match(line):
            found = unit_in(line)
            if found:
                units.append(found)
    return units


_CAPTION_ROW = re.compile(r"^\s*(?:附?表\s*\d|[^\t]*单位\s*[:：])")


def _is_caption_row(line: str) -> bool:
    return bool(_CAPTION_ROW.match(line))


def _has(label: str, words: tuple[str, ...]) -> bool:
    return any(w in label for w in words)


def _column_unit(label: str) -> tuple[str | None, str]:
    """Unit a column header gives, and where it came from."""
    unit = unit_in(label)
    if unit:
        return unit, "column"
    if _has(label, RATE_WORDS):
        return "%", "column"
    if _has(label, SCORE_WORDS):
        return "分", "column"
    return None, ""


def _pick_caption_unit(units: list[str], label: str) -> str | None:
    if not units:
        return None
    if len(units) == 1:
        return units[0]
    rate = _has(label, RATE_WORDS)
    for unit in units:
        if (unit == "%") == rate:
            return unit
    return units[0]


def _number(cell: str) -> float:
    return float(cell.replace(",", "").replace("−", "-"))


def find_table_quantities(text: str) -> tuple[list[Fact], list[Fact]]:
    """Quantities of bare table cells, and before/after effects of table rows (view offsets)."""
    if "\t" not in text and "  " not in text and "\u3000" not in text:
        return [], []
    lines = line_spans(text)
    rows = [_cells(text, a, b) for a, b in lines]
    quantities: list[Fact] = []
    effects: list[Fact] = []
    index = 0
    while index < len(lines):
        if len([c for c in rows[index] if c.text]) < 2:
            index += 1
            continue
        first = index
        while index < len(lines) and len([c for c in rows[index] if c.text]) >= 2:
            index += 1
        _read_block(text, lines, rows, first, index, quantities, effects)
    return quantities, effects


def _read_block(
    text: str,
    lines: list[tuple[int, int]],
    rows: list[list[_Cell]],
    first: int,
    after: int,
    quantities: list[Fact],
    effects: list[Fact],
) -> None:
    start = first
    while first < after - 1 and _is_caption_row(text[lines[first][0] : lines[first][1]]):
        first += 1  # 表1    主要指标    单位：亿元: a caption laid out with spaces
    header = rows[first] if _is_header(rows[first]) else None
    tabbed = "\t" in text[lines[first][0] : lines[first][1]]
    captions = [text[a:b].strip() for a, b in lines[start:first]]
    units = _units_from_caption(captions + _caption_lines(text, lines, start, after))
    if header is None and not units:
        return
    labels = [c.text for c in header] if header else []
    unit_column = next((k for k, label in enumerate(labels) if label in UNIT_COLUMN), None)
    pairs = _before_after_columns(labels)
    paired = {k for pair in pairs for k in pair}
    for row_index in range(first + (1 if header else 0), after):
        cells = rows[row_index]
        texts = [c.text for c in cells]
        row_label = next((t for t in texts if t and not _bare(t)), "")
        values: dict[int, Fact] = {}
        for position, cell in enumerate(cells):
            if not _bare(cell.text):
                if position in paired and (tabbed or len(cells) == len(labels)):
                    own = _with_unit(cell)  # 60个工作日 in a 改革前 column: the cell's own unit
                    if own is not None:
                        values[position] = own
                continue
            column = position
            if header and not tabbed and len(cells) != len(header):
                column = _column_of(text, lines[row_index][0], header, lines[first][0], cell)
            label = labels[column] if column < len(labels) else ""
            if _has(label, SKIP_WORDS) or (column == 0 and not unit_in(label)):
                continue
            if header and _YEAR.fullmatch(cell.text) and not label:
                continue
            unit, source = _column_unit(label)
            if unit is None and unit_column is not None and unit_column < len(texts):
                candidate = texts[unit_column]
                if is_unit(candidate):
                    unit, source = unicodedata.normalize("NFKC", candidate), "unit_column"
            if unit is None:
                found = unit_in(row_label)
                if found:
                    unit, source = found, "row"
            if unit is None:
                unit, source = _pick_caption_unit(units, label), "caption"
            if unit is None:
                if column in paired:  # 原环节数⇥现环节数: a change with no unit, no quantity
                    values[column] = Fact(
                        "quantity",
                        cell.start,
                        cell.end,
                        0.8,
                        {"value": tidy(_number(cell.text)), "unit": None},
                    )
                continue
            fact = Fact(
                "quantity",
                cell.start,
                cell.end,
                0.8,
                {
                    "value": tidy(_number(cell.text)),
                    "value_max": None,
                    "unit": unit,
                    "approx": None,
                    "redacted": False,
                    "indicator": None,
                    "unit_source": source,
                    "row": row_label or None,
                    "column": label or None,
                },
            )
            quantities.append(fact)
            values[column] = fact
        for before_col, after_col in pairs:
            old, new = values.get(before_col), values.get(after_col)
            if old and new and old.fields["unit"] == new.fields["unit"]:
                effects.append(_row_effect(row_label, old, new))


def _before_after_columns(labels: list[str]) -> list[tuple[int, int]]:
    """Columns that hold a before and an after value: 改革前/改革后, or several pairs matched by
    what they measure (原环节数/现环节数, 原时限（天）/现时限（天）)."""
    befores = [k for k, label in enumerate(labels) if label.startswith(BEFORE_WORDS)]
    afters = [k for k, label in enumerate(labels) if label.startswith(AFTER_WORDS)]
    if len(befores) == 1 and len(afters) == 1:
        return [(befores[0], afters[0])]

    def topic(label: str, words: tuple[str, ...]) -> str:
        word = next(w for w in words if label.startswith(w))
        return _BRACKET.sub("", label[len(word) :]).strip()

    pairs = []
    for b in befores:
        match = next(
            (a for a in afters if topic(labels[a], AFTER_WORDS) == topic(labels[b], BEFORE_WORDS)),
            None,
        )
        if match is not None:
            pairs.append((b, match))
    return pairs


def _with_unit(cell: _Cell) -> Fact | None:
    """A cell that is one quantity with its unit (7个环节, 45天), for a row's effect only: the
    text's own quantities already report it."""
    found = find_quantities(cell.text, [])
    if len(found) != 1 or found[0].start != 0 or found[0].fields["value"] is None:
        return None
    fact = found[0]
    return Fact("quantity", cell.start + fact.start, cell.start + fact.end, 0.8, fact.fields)


def _row_effect(label: str, old: Fact, new: Fact) -> Fact:
    before, after = float(old.fields["value"]), float(new.fields["value"])
    pct = round((after - before) / before * 100, 2) if before else None
    fields = {
        "measure": label or None,
        "before": tidy(before),
        "after": tidy(after),
        "unit": old.fields["unit"],
        "change_pct": pct,
        "change_abs": None,
        "direction": "decrease" if after < before else "increase",
    }
    start, end = min(old.start, new.start), max(old.end, new.end)
    return Fact("effect", start, end, 0.75, fields)
