"""Structural facts: case headings and the rows of tables that survived text extraction."""

import re
from dataclasses import dataclass
from functools import lru_cache

from .facts import Fact
from .gazetteer import Gazetteer
from .normalize import View, line_spans

CASE_VERBS = (
    "探索",
    "打造",
    "创新",
    "推出",
    "首创",
    "建立",
    "构建",
    "实施",
    "开展",
    "推行",
    "创设",
    "搭建",
    "试点",
    "率先",
    "实现",
    "推进",
    "优化",
    "建设",
    "深化",
    "破解",
    "创立",
    "启动",
    "制定",
    "调整",
    "突破",
    "简化",
    "设立",
    "引入",
    "开创",
    "完善",
    "创建",
)
DOMAIN_WORDS = {
    "trade": (
        "通关",
        "口岸",
        "海关",
        "贸易",
        "跨境电商",
        "物流",
        "航运",
        "检验",
        "检疫",
        "进口",
        "出口",
    ),
    "investment": ("外资", "投资", "准入", "商事", "企业开办", "登记", "注册", "许可"),
    "finance": (
        "金融",
        "融资",
        "租赁",
        "保理",
        "外汇",
        "银行",
        "保险",
        "跨境人民币",
        "结算",
        "信贷",
    ),
    "supervision": ("监管", "信用", "执法", "风险"),
    "tax": ("税",),
    "mobility": ("人才", "签证", "出入境", "外籍", "免签"),
    "government": ("审批", "政务", "一网通办", "放管服", "证照"),
    "rule_of_law": ("法院", "仲裁", "知识产权", "法治", "法律", "调解"),
    "industry": ("产业", "制造", "研发", "生物", "航空", "科技"),
}
_CASE_VERB = re.compile("|".join(CASE_VERBS))
GENERIC_CAPTIONS = {"最佳实践案例", "典型案例", "案例", "十佳案例"}
SCOPES = ("海关特殊监管区域", "自由贸易试验区", "自贸试验区", "全国")
CATEGORIES = ("改革试点经验", "最佳实践案例", "复制推广")
_CAPTION = re.compile(r"^\s*(?:附表|表)\s*\d+")
_HEADER = re.compile(r"^\s*序号\s")
_ROW_START = re.compile(r"^\s*(?P<seq>\d{1,3})\s+(?P<rest>\S.*)$")
_UNIT = re.compile(r"(?:^|\s)(?P<unit>[^\s]*(?:部|局|署|委|院|行|会|办|厅|总局|中心|司)|-|—)\s*$")
_PROVINCES_END = re.compile(r"(?:直辖市|自治区)\s*[)）]\s*$")


def domain_of(title: str) -> str | None:
    """Return the reform domain whose words the title mentions first."""
    best: tuple[int, str] | None = None
    for domain, words in DOMAIN_WORDS.items():
        for word in words:
            position = title.find(word)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, domain)
    return best[1] if best else None


# The same view is split into lines by several extractors in a row.
_lines = lru_cache(maxsize=4)(line_spans)


_LABEL = re.compile(
    r"^(?:【[^】]{0,8}】|案例\s*[一二三四五六七八九十\d]+\s*[:：、.]?|[（(][一二三四五六七八九十\d]+[)）]"
    r"|[一二三四五六七八九十]+、|\d+[.、])\s*"
)
_INNOVATION_NOUN = re.compile(
    r"(?:模式|改革|机制|制度|路径|服务|体系|平台|试点|做法|举措|流程|新政)$"
)


def find_case_titles(text: str, gazetteer: Gazetteer) -> list[Fact]:
    """Title lines of cases: 【案例一】天津自贸试验区东疆片区探索……新模式 (lines view)."""
    facts = []
    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        label = _LABEL.match(stripped)
        title = stripped[label.end() :] if label else stripped
        if not 8 <= len(title) <= 60 or title[-1] in "。，；：":
            continue
        place = gazetteer.pattern.match(title)
        labelled_case = label is not None and "案例" in label.group()
        if place is None or not (labelled_case or _INNOVATION_NOUN.search(title)):
            continue
        if not _CASE_VERB.search(title, place.end()):
            continue
        offset = start + line.index(title)
        zone = gazetteer.resolve(
            place.group("z1") or place.group("z2"), place.group("area") or place.group("area_only")
        ).zone
        fields = {"title": title, "zone": zone, "domain": domain_of(title)}
        facts.append(Fact("case", offset, offset + len(title), 0.7, fields))
    return facts


def find_case_captions(text: str) -> list[Fact]:
    """Lines that title a case: 促进离岸业务健康有序发展典型案例, ...十佳案例 (lines view)."""
    facts = []
    for start, end in _lines(text):
        title = text[start:end].strip()
        if not title.endswith("案例") or title in GENERIC_CAPTIONS or not 6 <= len(title) <= 60:
            continue
        if title.startswith(("附表", "表", "第")) or "批" in title[:4]:
            continue
        offset = start + text[start:end].index(title)
        fields = {"title": title, "zone": None, "domain": domain_of(title)}
        facts.append(Fact("case", offset, offset + len(title), 0.6, fields))
    return facts


def _starts_line(original: str, position: int) -> bool:
    while position > 0 and original[position - 1] in " \t\u3000":
        position -= 1
    return position == 0 or original[position - 1] in "\n\f"


def _ends_line(original: str, position: int) -> bool:
    while position < len(original) and original[position] in " \t\u3000":
        position += 1
    return position >= len(original) or original[position] in "\r\n\f"


def find_case_headings(
    view: View, original: str, gazetteer: Gazetteer, places: list[re.Match[str]]
) -> list[Fact]:
    """Sentences on lines of their own that open with a zone (one of `places`, the zone
    mentions found in the view) and say what it did."""
    facts = []
    text = view.text
    for place in places:
        start = place.start()
        end = text.find("。", start, start + 60)  # bounded: a heading is a short sentence
        if end < 0 or not 10 <= end + 1 - start <= 60 or "\n" in text[start:end]:
            continue
        if "；" in text[start:end]:
            continue
        first, last = view.span(start, end + 1)
        if not (_starts_line(original, first) and _ends_line(original, last)):
            continue
        if not _CASE_VERB.search(text, place.end(), place.end() + 14):
            continue
        zone = gazetteer.resolve(
            place.group("z1") or place.group("z2"), place.group("area") or place.group("area_only")
        ).zone
        sentence = text[start : end + 1]
        fields = {"title": sentence, "zone": zone, "domain": domain_of(sentence)}
        facts.append(Fact("case", start, end + 1, 0.7, fields))
    return facts


def _parse_row(seq: str, body: str) -> dict[str, object] | None:
    """Split '公证“最多跑一次” 司法部 全国' into item, responsible unit and scope."""
    body = re.sub(r"\s+", " ", body).strip()
    scope = next((s for s in SCOPES if body.endswith(" " + s) or body == s), None)
    if scope is None:
        found = _UNIT.search(body.split(" 北京")[0]) if " 北京" in body else None
        if found is None or not _PROVINCES_END.search(body):
            return None
        item_unit = body[: found.end()].strip()
        scope_text = body[found.end() :].strip()
    else:
        item_unit = body[: -len(scope)].strip()
        scope_text = scope
    unit_match = _UNIT.search(item_unit)
    unit = unit_match.group("unit") if unit_match else ""
    item = item_unit[: unit_match.start("unit")].strip() if unit_match else item_unit
    return {
        "cells": [seq, item, unit, scope_text],
        "seq": int(seq),
        "item": item,
        "responsible_unit": "" if unit in {"-", "—"} else unit,
        "scope": scope_text,
    }


def _is_header(cells: list[str]) -> bool:
    """A row of column names: header words and no numbers."""
    joined = "".join(cells)
    return any(w in joined for w in HEADER_WORDS) and not re.search(r"\d", joined)


def find_table_rows(text: str) -> list[Fact]:
    """Rows of tables: tab-separated lines (Word, HTML) and numbered list-table rows (PDF text),
    including rows that wrap over several lines. Raw view: cell spacing is still there."""
    facts: list[Fact] = []
    table: str | None = None
    category: str | None = None
    row: tuple[int, int, str, str] | None = None  # start, end, seq, body

    def close() -> None:
        nonlocal row
        if row is None:
            return
        start, end, seq, body = row
        fields = _parse_row(seq, body)
        if fields is not None:
            fields = {"table": table, "category": category, **fields}
            facts.append(Fact("table_row", start, end, 0.75, fields))
        row = None

    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            continue
        if "\t" in line:
            close()
            cells = [c.strip() for c in line.split("\t")]
            if _is_header(cells):
                continue
            fields: dict[str, object] = {"table": table, "cells": cells}
            if cells[0].isdigit():
                fields["seq"] = int(cells[0])
                if len(cells) >= 4:
                    fields |= {"item": cells[1], "responsible_unit": cells[2], "scope": cells[3]}
            lead = len(line) - len(line.lstrip())
            facts.append(Fact("table_row", start + lead, start + len(line.rstrip()), 0.8, fields))
            continue
        if _CAPTION.match(line):
            close()
            table, category = stripped, None
            continue
        if table is None or _HEADER.match(line):
            continue
        begin = _ROW_START.match(line)
        if begin:
            close()
            lead = len(line) - len(line.lstrip())
            row = (
                start + lead,
                start + len(line.rstrip()),
                begin.group("seq"),
                begin.group("rest"),
            )
        elif any(stripped.endswith(c) for c in CATEGORIES) and len(stripped) <= 20:
            close()
            category = stripped
        elif row is not None and len(row[3]) < 300:
            row = (row[0], start + len(line.rstrip()), row[2], row[3] + " " + stripped)
        else:
            close()
            table = None
    close()
    return facts


def cases_from_rows(rows: list[Fact]) -> list[Fact]:
    """Items of a best-practice case list are cases too."""
    cases = []
    for row in rows:
        if row.fields.get("category") == "最佳实践案例" and row.fields.get("item"):
            item = str(row.fields["item"])
            fields = {"title": item, "zone": None, "domain": domain_of(item)}
            cases.append(Fact("case", row.start, row.end, 0.6, fields, row.text))
    return cases


_CELL_GAP = re.compile(r"\t|\s{2,}")
HEADER_WORDS = ("序号", "指标", "项目", "事项", "名称", "单位", "范围", "片区", "类别", "内容")
_TABLE_TITLE = re.compile(r"^\s*(?:附?表\s*\d|附件)")


def _cells(line: str) -> list[tuple[int, str]]:
    """Cells of a space-aligned line with the column where each starts."""
    cells, position = [], 0
    for part in _CELL_GAP.split(line):
        start = line.index(part, position) if part else position
        if part.strip():
            cells.append((start, part.strip()))
        position = start + len(part)
    return cells


def _named(header: list[str], cells: list[str]) -> dict[str, object]:
    fields: dict[str, object] = {"cells": cells}
    if cells and cells[0].isdigit():
        fields["seq"] = int(cells[0])
    for name, key in (
        ("改革事项", "item"),
        ("负责单位", "responsible_unit"),
        ("推广范围", "scope"),
    ):
        if name in header and header.index(name) < len(cells):
            fields[key] = cells[header.index(name)]
    return fields


@dataclass
class _Row:
    start: int
    end: int
    cells: list[str]
    columns: list[int]


def _table_title(text: str, lines: list[tuple[int, int]], index: int) -> str | None:
    for back in range(index - 1, max(-1, index - 3), -1):
        candidate = text[lines[back][0] : lines[back][1]].strip()
        if candidate and _TABLE_TITLE.match(candidate):
            return candidate
    return None


def _block_rows(text: str, lines: list[tuple[int, int]], first: int) -> tuple[list[_Row], int]:
    """Read rows from line `first` on; indented short lines continue the cell above."""
    rows: list[_Row] = []
    j = first
    while j < len(lines):
        start, end = lines[j]
        line = text[start:end]
        cells = _cells(line)
        if not line.strip():
            break
        if len(cells) >= 3:
            lead = len(line) - len(line.lstrip())
            rows.append(
                _Row(
                    start + lead,
                    start + len(line.rstrip()),
                    [c for _, c in cells],
                    [p for p, _ in cells],
                )
            )
        elif rows and line[:1].isspace():
            indent = cells[0][0]
            row = rows[-1]
            column = max((k for k, p in enumerate(row.columns) if p <= indent + 1), default=0)
            row.cells[column] += "".join(c for _, c in cells)
            row.end = start + len(line.rstrip())
        else:
            break
        j += 1
    return rows, j


def find_aligned_rows(text: str) -> list[Fact]:
    """Rows of plain-text tables whose columns are lined up with runs of spaces: a header line
    of three or more cells, then rows; indented lines continue the cell above them."""
    lines = _lines(text)
    facts: list[Fact] = []
    i = 0
    while i < len(lines):
        start, end = lines[i]
        header = [c for _, c in _cells(text[start:end])]
        if len(header) < 3 or not any(w in "".join(header) for w in HEADER_WORDS):
            i += 1
            continue
        rows, after = _block_rows(text, lines, i + 1)
        title = _table_title(text, lines, i)
        for row in rows:
            fields = {"table": title, **_named(header, row.cells)}
            facts.append(Fact("table_row", row.start, row.end, 0.8, fields))
        i = after if rows else i + 1
    return facts
