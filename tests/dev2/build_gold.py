"""Build tests/dev2/gold.jsonl from hand-written entries (run: python tests/dev2/build_gold.py).

The development set for the error classes of docs/extraction.md: change grammar (由…减为…,
由…合并为…, values falling to zero, 成/倍/半 with hedges), indicator growth that is not an effect,
redacted counts and redacted places, units split by a line break, scientific units and
counting words in set phrases. Gold follows the contract, not any extractor output.

An entry names its span by a substring of the document. When the substring is not unique,
give a context that is, with the span marked: "其中⟦**项⟧被". `occ=N` picks the N-th
occurrence instead (0-based).

Conventions where docs/extraction.md leaves room (the same as tests/genre and tests/heldout):
* quantity: value, value_max, unit, approx and redacted only. Arabic numbers keep 万/亿 in the
  unit (1.2万家); fractions are percentages (三分之一 -> 33.33 %, 一半 -> 50 %). A bare 0 or
  零 without a unit is not a quantity. 突破/达到/不足 are not hedges in the contract's list, so
  approx is null for them. Period labels (一季度, 二季度), slogans (一窗受理, 一单制, 一月一调度)
  and determiners (一个集装箱, 一家物流企业) are not quantities.
* effect: span from 从/由/较 when present, else from the change verb, to the last number and
  unit (a hedge after it included). Targets count. A value that falls to zero gives after 0.
  Growth or decline of trade, investment, enterprises, tax, output, throughput, shares and
  growth rates are statistics, not effects (their numbers stay quantities).
* date: spans are the date expression only; a year after 较/从 counts; ****年 is redacted.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
L, R = "⟦", "⟧"
INC, DEC = "increase", "decrease"


def Q(sub, value, unit, approx=None, vmax=None, occ=None):
    fields = {"value": value, "value_max": vmax, "unit": unit, "approx": approx}
    return ("quantity", sub, occ, {**fields, "redacted": False})


def RQ(sub, unit, occ=None):
    fields = {"value": None, "value_max": None, "unit": unit, "approx": None, "redacted": True}
    return ("quantity", sub, occ, fields)


def Z(sub, zone, area=None, occ=None):
    return ("zone", sub, occ, {"zone": zone, "area": area})


def D(sub, date, occ=None):
    return ("date", sub, occ, {"date": date, "redacted": date is None})


def E(sub, measure, direction, before=None, after=None, unit=None, pct=None, abs_=None, occ=None):
    if before is not None and after is not None and pct is None:
        pct = round((after - before) / before * 100, 2)
    fields = {
        "measure": measure,
        "before": before,
        "after": after,
        "unit": unit,
        "change_pct": pct,
        "change_abs": abs_,
        "direction": direction,
    }
    return ("effect", sub, occ, fields)


def C(sub, zone, domain):
    return ("case", sub, None, {"title": sub, "zone": zone, "domain": domain})


HUNAN = "hunan"
FACTS: dict[str, list[tuple]] = {}

FACTS["01_case_one_licence.txt"] = [
    C("中国（湖南）自由贸易试验区长沙片区“一业一证”改革案例", HUNAN, "government"),
    Z("中国（湖南）自由贸易试验区长沙片区", HUNAN, "长沙片区"),
    Z("2022年3月，⟦长沙片区⟧", HUNAN, "长沙片区"),
    Z("湖南自贸试验区岳阳片区", HUNAN, "岳阳片区"),
    Z("郴州片区", HUNAN, "郴州片区"),
    D("2022年3月", "2022-03"),
    D("2023年6月", "2023-06"),
    Q("5个", 5, "个"),
    Q("12个", 12, "个"),
    Q("9张", 9, "张"),
    Q("1张", 1, "张"),
    Q("43份", 43, "份"),
    Q("11份", 11, "份"),
    Q("7个", 7, "个"),
    Q("由7个减为⟦2个⟧", 2, "个"),
    Q("68个工作日", 68, "个工作日"),
    Q("压减至⟦8个工作日⟧", 8, "个工作日"),
    Q("3项", 3, "项"),
    Q("一半", 50, "%"),
    Q("超过六成", 6, "成", "超过"),
    Q("近四成", 4, "成", "近"),
    Q("2300余张", 2300, "张", "余"),
    Q("1900多家", 1900, "家", "多"),
    Q("2倍", 2, "倍"),
    E("由9张合并为1张", "申请表", DEC, 9, 1, "张"),
    E("由43份精简到11份", "申请材料", DEC, 43, 11, "份"),
    E("由7个减为2个", "办理环节", DEC, 7, 2, "个"),
    E("由法定的68个工作日压减至8个工作日", "审批时限", DEC, 68, 8, "个工作日"),
    E("由3项减为零", "纸质证明", DEC, 3, 0, "项"),
    E("减少至0", "现场核查次数", DEC, after=0),
    E("减少一半", "企业办证跑动次数", DEC, pct=-50),
    E("压缩超过六成", "平均办理时间", DEC, pct=-60),
    E("降低近四成", "企业办证费用", DEC, pct=-40),
    E("提高2倍", "窗口人员日均受理能力", INC, pct=200),
]

FACTS["02_statistics_bulletin.txt"] = [
    D("2023年", "2023", occ=0),
    D("2023年", "2023", occ=1),
    D("2023年7月20日", "2023-07-20"),
    Z("福建自贸试验区", "fujian", occ=0),
    Z("福建自贸试验区", "fujian", occ=1),
    Z("厦门片区", "fujian", "厦门片区"),
    Z("福州片区", "fujian", "福州片区"),
    Z("平潭片区", "fujian", "平潭片区"),
    Q("8620家", 8620, "家"),
    Q("14.3%", 14.3, "%"),
    Q("1536.2亿元", 1536.2, "亿元"),
    Q("9.7%", 9.7, "%"),
    Q("2218.5亿元", 2218.5, "亿元"),
    Q("6.8%", 6.8, "%"),
    Q("1247.1亿元", 1247.1, "亿元"),
    Q("11.2%", 11.2, "%"),
    Q("971.4亿元", 971.4, "亿元"),
    Q("0.9%", 0.9, "%"),
    Q("27.6亿元", 27.6, "亿元"),
    Q("31.5%", 31.5, "%"),
    Q("186.3亿元", 186.3, "亿元"),
    Q("8.1%", 8.1, "%"),
    Q("12.6%", 12.6, "%"),
    Q("3.2%", 3.2, "%"),
    Q("约420亿元", 420, "亿元", "约"),
    Q("两成以上", 2, "成", "以上"),
    Q("1.4个百分点", 1.4, "个百分点"),
    Q("两倍", 2, "倍"),
    Q("436家", 436, "家"),
    Q("27%", 27, "%"),
    Q("4.6%", 4.6, "%"),
    Q("0.8个百分点", 0.8, "个百分点"),
]

FACTS["03_internal_report_redacted.txt"] = [
    D("****年以来", None),
    D("⟦****年⟧入选", None),
    D("****年**月", None),
    RQ("成果⟦**项⟧", "项"),
    RQ("其中⟦**项⟧被", "项"),
    RQ("×× 项", "项"),
    RQ("＊＊件", "件"),
    E("压缩**%", "办理时限", DEC),
    RQ("压缩⟦**%⟧", "%"),
    RQ("**轮", "轮"),
    RQ("**批", "批"),
    RQ("××项", "项"),
    RQ("下放⟦**项⟧", "项"),
    RQ("＊＊家", "家"),
    RQ("等⟦**家⟧", "家"),
    RQ("**平方公里", "平方公里"),
    RQ("开发⟦**%⟧", "%"),
    RQ("XX项", "项"),
]

FACTS["04_industry_and_port.txt"] = [
    Z("临港新片区", "shanghai", "临港新片区", occ=0),
    Z("临港新片区", "shanghai", "临港新片区", occ=1),
    D("2023年", "2023"),
    D("2025年", "2025"),
    Q("约1200亿元", 1200, "亿元", "约"),
    Q("超过20%", 20, "%", "超过"),
    Q("28纳米", 28, "纳米"),
    Q("14纳米", 14, "纳米"),
    Q("5微米", 5, "微米"),
    Q("3个\n百分点", 3, "个百分点"),
    Q("350兆瓦", 350, "兆瓦"),
    Q("约4.2亿千瓦时", 4.2, "亿千瓦时", "约"),
    Q("18%", 18, "%"),
    Q("2300万标箱", 2300, "万标箱"),
    Q("6%", 6, "%"),
    Q("超过180万TEU", 180, "万TEU", "超过"),
    Q("12万吨", 12, "万吨"),
    Q("36.5小时", 36.5, "小时"),
    Q("9.8小时", 9.8, "小时"),
    Q("1.8小时", 1.8, "小时"),
    Q("0.6小时", 0.6, "小时"),
    Q("⟦10%⟧降为", 10, "%"),
    Q("3%", 3, "%"),
    Q("约\n460元", 460, "元", "约"),
    Q("20余项", 20, "项", "余"),
    Q("7项", 7, "项"),
    Q("45个工作\n日", 45, "个工作日"),
    Q("15个工作日", 15, "个工作日"),
    Q("3500亿元", 3500, "亿元"),
    Q("约30%", 30, "%", "约"),
    Q("超过160家", 160, "家", "超过"),
    Q("两成", 2, "成"),
    Q("2000亿元", 2000, "亿元"),
    Q("100万千瓦", 100, "万千瓦"),
    Q("10%左右", 10, "%", "左右"),
    E("由原来的36.5小时压缩至9.8小时", "进口集装箱平均通关时间", DEC, 36.5, 9.8, "小时"),
    E("由1.8小时减为0.6小时", "出口集装箱平均通关时间", DEC, 1.8, 0.6, "小时"),
    E("由10%降为3%", "危险品集装箱查验比例", DEC, 10, 3, "%"),
    E("节省约\n460元", "单箱查验费用", DEC, abs_=460, unit="元"),
    E("由20余项精简为7项", "数据出境安全评估申报材料", DEC, 20, 7, "项"),
    E(
        "从原来的平均45个工作\n日缩短到15个工作日",
        "数据出境安全评估周期",
        DEC,
        45,
        15,
        "个工作日",
    ),
    E("压缩10%左右", "口岸整体通关时间", DEC, pct=-10),
]

FACTS["05_policy_interpretation.txt"] = [
    Q("共提出⟦20条⟧", 20, "条"),
    Q("对⟦20条⟧举措", 20, "条"),
    Q("两个", 2, "个"),
    Q("4个", 4, "个"),
    Q("从4个减为⟦2个⟧", 2, "个"),
    Q("15份", 15, "份"),
    Q("6份", 6, "份"),
    Q("5个工作日", 5, "个工作日"),
    Q("1个工作日", 1, "个工作日"),
    Q("三类", 3, "类"),
    Q("3万家以上", 3, "万家", "以上"),
    E("减少两个", "办理环节", DEC, abs_=2, unit="个"),
    E("从4个减为2个", "办理环节", DEC, 4, 2, "个"),
    E("从15份减少到6份", "申请材料", DEC, 15, 6, "份"),
    E("从过去的5个工作日缩短为1个工作日", "办理时间", DEC, 5, 1, "个工作日"),
    Z("海南自贸试验区", "hainan"),
    D("2024年", "2024"),
]

FACTS["06_news_corridor.txt"] = [
    Z("重庆自贸试验区两江片区", "chongqing", "两江片区"),
    Z("中国（重庆）自由贸易试验区两江片区", "chongqing", "两江片区"),
    Z("果园港片区", "chongqing", "果园港片区"),
    Z("据介绍，⟦两江片区⟧", "chongqing", "两江片区"),
    Z("西永片区", "chongqing", "西永片区"),
    D("2023年11月", "2023-11"),
    D("2025年", "2025"),
    Q("56万标箱", 56, "万标箱"),
    Q("21%", 21, "%"),
    Q("17.5%", 17.5, "%"),
    Q("超过800亿元", 800, "亿元", "超过"),
    E("25天左右，现在最快只要9天", "集装箱在途时间", DEC, 25, 9, "天"),
    Q("25天左右", 25, "天", "左右"),
    Q("9天", 9, "天"),
    Q("平均⟦25天⟧", 25, "天"),
    Q("12天", 12, "天"),
    Q("约300元", 300, "元", "约"),
    Q("80%以上", 80, "%", "以上"),
    Q("72小时", 72, "小时"),
    Q("24小时", 24, "小时"),
    Q("约四成", 4, "成", "约"),
    Q("2100万吨", 2100, "万吨"),
    Q("8.2%", 8.2, "%"),
    Q("3条", 3, "条"),
    Q("约66.14平方\n公里", 66.14, "平方公里", "约"),
    Q("100万标箱", 100, "万标箱"),
    E("由平均25天缩短至12天", "货物在途时间", DEC, 25, 12, "天"),
    E("节省约300元", "企业物流成本", DEC, abs_=300, unit="元"),
    E("较改革前缩短了80%以上", "单证办理时间", DEC, pct=-80),
    E("从72小时压减到24小时", "进口货物提离时间", DEC, 72, 24, "小时"),
    E("提升约四成", "港口作业效率", INC, pct=40),
]

FACTS["07_evaluation_summary.txt"] = [
    Z("中国（山东）自由贸易试验区青岛片区", "shandong", "青岛片区"),
    Z("受⟦青岛片区⟧", "shandong", "青岛片区"),
    D("2023年9月", "2023-09"),
    D("至⟦10月⟧", "2023-10"),
    D("⟦2021⟧—2023年", "2021"),
    D("2021—⟦2023年⟧", "2023"),
    D("较⟦2021年⟧", "2021"),
    D("从⟦2021年⟧", "2021"),
    D("到⟦2023年⟧", "2023"),
    Q("42项", 42, "项"),
    Q("38项", 38, "项"),
    Q("6份", 6, "份"),
    Q("1份", 1, "份"),
    Q("四成", 4, "成"),
    Q("约1.5倍", 1.5, "倍", "约"),
    Q("约一半", 50, "%", "约"),
    Q("4次", 4, "次"),
    Q("1次", 1, "次"),
    Q("350元", 350, "元"),
    Q("120元", 120, "元"),
    Q("12项", 12, "项"),
    Q("5项", 5, "项"),
    Q("约15%", 15, "%", "约"),
    Q("近70%", 70, "%", "近"),
    Q("原来的⟦三分之一⟧", 33.33, "%"),
    Q("860亿元", 860, "亿元"),
    Q("1520亿元", 1520, "亿元"),
    Q("12%", 12, "%"),
    Q("1.2万家", 1.2, "万家"),
    Q("3.5万家", 3.5, "万家"),
    Q("3%", 3, "%"),
    Q("约一成", 1, "成", "约"),
    Q("不足五成", 5, "成"),
    Q("⟦约三分之一⟧的受访", 33.33, "%", "约"),
    E("由38项削减为零", "证明事项", DEC, 38, 0, "项"),
    E("由6份减到1份", "企业年度报送材料", DEC, 6, 1, "份"),
    E("较2021年压缩了四成", "涉企审批平均用时", DEC, pct=-40),
    E("提高约1.5倍", "审批效率", INC, pct=150),
    E("减少约一半", "排队等候时间", DEC, pct=-50),
    E("由4次降为1次", "平均跑动次数", DEC, 4, 1, "次"),
    E("从每票350元降到每票120元", "报关代理费用", DEC, 350, 120, "元"),
    E("从12项归并为5项", "口岸收费项目", DEC, 12, 5, "项"),
    E("下降约15%", "整体收费水平", DEC, pct=-15),
    E("缩短近70%", "进口查验时间", DEC, pct=-70),
    E("降至原来的三分之一", "查验货物的滞港费用", DEC, pct=-66.67),
]


def _locate(text: str, sub: str, occ: int | None) -> tuple[int, int]:
    if L in sub:
        before, rest = sub.split(L, 1)
        inner, after = rest.split(R, 1)
        needle = before + inner + after
        offset = len(before)
    else:
        needle, inner, offset = sub, sub, 0
    positions = []
    start = text.find(needle)
    while start >= 0:
        positions.append(start)
        start = text.find(needle, start + 1)
    if occ is None:
        if len(positions) != 1:
            raise ValueError(f"{sub!r} occurs {len(positions)} times")
        position = positions[0]
    else:
        position = positions[occ]
    return position + offset, position + offset + len(inner)


def build() -> list[dict]:
    records = []
    for name, entries in sorted(FACTS.items()):
        text = (DOCS / name).read_text("utf-8")
        seen = set()
        for kind, sub, occ, fields in entries:
            try:
                start, end = _locate(text, sub, occ)
            except (ValueError, IndexError) as exc:
                raise ValueError(f"{name}: {exc}") from None
            key = (kind, start, end)
            if key in seen:
                raise ValueError(f"{name}: duplicate {key}")
            seen.add(key)
            records.append(
                {"doc": name, "type": kind, "start": start, "end": end, "text": text[start:end]}
                | fields
            )
    records.sort(key=lambda r: (r["doc"], r["start"], r["end"], r["type"]))
    by_type: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        by_type.setdefault((r["doc"], r["type"]), []).append(r)
    for (doc, kind), facts in by_type.items():
        for a, b in zip(facts, facts[1:], strict=False):
            if a["end"] > b["start"]:
                raise ValueError(f"{doc}: overlapping {kind} {a['text']!r} {b['text']!r}")
    return records


if __name__ == "__main__":
    gold = build()
    with open(HERE / "gold.jsonl", "w", encoding="utf-8", newline="\n") as handle:
        for record in gold:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for record in gold:
        counts[record["type"]] = counts.get(record["type"], 0) + 1
    print(len(gold), "facts", dict(sorted(counts.items())))
