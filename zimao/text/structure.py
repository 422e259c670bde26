"""Line-based facts: case titles and table rows that survived text extraction."""

import re

from .facts import Fact
from .gazetteer import Gazetteer

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
)
DOMAIN_WORDS = {
    "trade": ("通关", "口岸", "海关", "贸易", "跨境电商", "物流", "航运", "检验", "检疫", "港"),
    "investment": ("外资", "投资", "准入", "商事", "企业开办", "登记", "注册"),
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
    "industry": ("产业", "制造", "研发", "生物", "航空"),
}
_NUMBERING = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|案例[一二三四五六七八九十\d]+[:：]?)\s*"
)
_CAPTION = re.compile(r"^(?:附表|表)\s*\d+|序号")
SCOPES = ("全国", "自贸试验区", "海关特殊监管区域", "自由贸易试验区")
_ROW = re.compile(r"^\s*(?P<seq>\d{1,3})\s+(?P<rest>\S.*)$")
_UNIT_WORD = r"(?:部|局|署|委|院|行|会|办|厅|总局|中心|司|-|—)"


def domain_of(title: str) -> str | None:
    """Return the reform domain whose words the title mentions first."""
    best: tuple[int, str] | None = None
    for domain, words in DOMAIN_WORDS.items():
        for word in words:
            position = title.find(word)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, domain)
    return best[1] if best else None


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"[\n\f]", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def find_cases(text: str, gazetteer: Gazetteer) -> list[Fact]:
    """Case headings: short lines that name a zone and what it built, or end in 案例."""
    facts = []
    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not 6 <= len(stripped) <= 70:
            continue
        numbering = _NUMBERING.match(stripped)
        offset = start + (len(line) - len(line.lstrip())) + (numbering.end() if numbering else 0)
        title = stripped[numbering.end() :] if numbering else stripped
        title_end = offset + len(title.rstrip("。；;"))
        is_caption = title.endswith(("典型案例", "案例")) and len(title) > 4
        place = gazetteer.pattern.match(title)
        names_zone = place is not None and any(v in title for v in CASE_VERBS)
        if not (is_caption or names_zone) or title.count("，") > 2 or title.count("。") > 1:
            continue
        zone = None
        if place:
            z = place.group("z1") or place.group("z2")
            zone = gazetteer.resolve(z, place.group("area") or place.group("area_only")).zone
        fields = {"title": text[offset:title_end], "zone": zone, "domain": domain_of(title)}
        facts.append(Fact("case", offset, title_end, 0.6 if is_caption else 0.7, fields))
    return facts


def _split_row(rest: str) -> tuple[str, str, str] | None:
    for scope in sorted(SCOPES, key=len, reverse=True):
        if rest.endswith(scope):
            body = rest[: -len(scope)].rstrip()
            unit = re.search(rf"(\S*{_UNIT_WORD})$", body)
            if unit:
                return body[: unit.start()].strip(), unit.group(1), scope
            return body, "", scope
    return None


def find_table_rows(text: str) -> list[Fact]:
    """Rows of tables: tab-separated lines (Word, HTML) or numbered list-table lines (PDF)."""
    facts = []
    table: str | None = None
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            continue
        if _CAPTION.match(line.strip()):
            table = line.strip() if not line.strip().startswith("序号") else table
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            fields: dict[str, object] = {"table": table, "cells": cells}
            if cells and cells[0].isdigit():
                fields["seq"] = int(cells[0])
                if len(cells) >= 4:
                    fields |= {"item": cells[1], "responsible_unit": cells[2], "scope": cells[3]}
            facts.append(Fact("table_row", start, end, 0.8, fields))
            continue
        row = _ROW.match(line)
        if row and table:
            split = _split_row(row.group("rest"))
            if split:
                item, unit, scope = split
                fields = {
                    "table": table,
                    "cells": [row.group("seq"), item, unit, scope],
                    "seq": int(row.group("seq")),
                    "item": item,
                    "responsible_unit": unit.strip("-— "),
                    "scope": scope,
                }
                facts.append(Fact("table_row", start + row.start("seq"), end, 0.75, fields))
    return facts
