"""Build tests/dev3/gold.jsonl from hand-written entries (run: python tests/dev3/build_gold.py).

The development set for the contract's table cells with inherited units, OCR renderings,
spoken numbers and effect statements (docs/extraction.md), in five genres: a negative-list
edition with notes, a customs statistical bulletin, a third-party evaluation report, an OCR
rendering of a work report and a press-conference transcript. Gold follows the contract, not
any extractor output.

The entries' markup (Q, Z, D, E…: a span named by a substring of the document, ⟦marked⟧ in a
context when it is not unique, or picked by `occ=N`) is tests/devsets/markup.py.

Conventions where docs/extraction.md leaves room (the same as tests/dev2): quantity fields are
value, value_max, unit, approx and redacted (table cells add unit_source); effect spans run from
从/由 (or the before value) to the last number and unit.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
sys.path.insert(0, str(HERE.parent.parent))
from tests.devsets.markup import D, DEC, E, INC, Q, Z, build, write  # noqa: E402


def T(sub, value, unit, source, occ=None):
    """A bare table cell whose unit comes from elsewhere in the table."""
    return Q(sub, value, unit, occ=occ, source=source)


FACTS: dict[str, list[tuple]] = {}


FACTS["06_customs_release.html"] = [
    Z("中国（云南）自由贸易试验区红河片区", "yunnan", "红河片区"),
    Q("前⟦11个月⟧", 11, "个月"),
    Z("，⟦红河片区⟧进出口", "yunnan", "红河片区"),
    Q("318.6亿元", 318.6, "亿元"),
    Q("12.4%", 12.4, "%"),
    Z("表1\u3000⟦红河片区⟧", "yunnan", "红河片区"),
    T("201.3", 201.3, "亿元", "caption"),
    T("15.6", 15.6, "%", "column"),
    T("63.2", 63.2, "%", "column"),
    T("87.9", 87.9, "亿元", "caption"),
    T("-4.8", -4.8, "%", "column"),
    T("27.6", 27.6, "%", "column"),
]

FACTS["07_ocr_bulletin.txt"] = [
    D("二〇二六年", "2026"),
    E("压缩\n了6 5%", "涉企经营许可事项办理时限", DEC, pct=-65),
    Q("6 5%", 65, "%"),
    E("由原来的3个工作日压减至0．5个工作日", "企业开办全流程时间", DEC, 3, 0.5, "个工作日"),
    Q("3个工作日", 3, "个工作日"),
    Q("0．5个工作日", 0.5, "个工作日"),
    E("节省办事成本约１，３５０万元", "办事成本", DEC, abs_=1350, unit="万元"),
    Q("约１，３５０万元", 1350, "万元", "约"),
    Q("4 821户", 4821, "户"),
    E("较改革前缩短了一半以上", "进口整体通关时间", DEC, pct=-50),
    Q("一半以上", 50, "%", "以上"),
    T("20", 20, "天", "column"),
    E("20                  5", "建设用地规划许可", DEC, 20, 5, "天"),
    T("20                  ⟦5⟧", 5, "天", "column"),
    T("15", 15, "天", "column"),
    E("15                  3", "不动产首次登记", DEC, 15, 3, "天"),
    T("15                  ⟦3⟧", 3, "天", "column"),
]

FACTS["08_briefing_transcript.txt"] = [
    Q("三年多", 3, "年", "多"),
    Q("四百来个", 400, "个", "来"),
    Q("一百二十多个", 120, "个", "多"),
    Q("一千多亿元", 1000, "亿元", "多"),
    Q("去年⟦一年⟧", 1, "年"),
    Q("两三百家", 200, "家", vmax=300),
    E("五六天，现在半天", "进出口权备案时间", DEC, 5, 0.5, "天", before_max=6),
    Q("五六天", 5, "天", vmax=6),
    Q("半天", 0.5, "天"),
    E("十几个章，现在压减到3个", "盖章数", DEC, 10, 3, "个"),
    Q("十几个", 10, "个", "几"),
    Q("3个", 3, "个"),
    E("缩短三成左右", "审批时间", DEC, pct=-30),
    Q("三成左右", 3, "成", "左右"),
]

FACTS["01_negative_list_notes.txt"] = [
    D("（⟦2026年⟧版）说明", "2026"),
    D("。⟦2026年⟧版清单", "2026"),
    Q("共⟦27条⟧", 27, "条"),
    E("由原来的2条减至0条", "制造业条目", DEC, 2, 0, "条"),
    Q("原来的⟦2条⟧", 2, "条"),
    Q("减至⟦0条⟧", 0, "条"),
    Q("超过49%", 49, "%", "超过"),
    Q("超过50%", 50, "%", "超过"),
    E("由过去的20个工作日左右缩短至3个工作日", "平均办理时间", DEC, 20, 3, "个工作日"),
    Q("20个工作日左右", 20, "个工作日", "左右"),
    Q("至⟦3个工作日⟧", 3, "个工作日"),
    D("⟦2024年⟧版\t2026", "2024"),
    D("版\t⟦2026年⟧版", "2026"),
    T("农、林、牧、渔业\t⟦3⟧", 3, "条", "caption"),
    T("农、林、牧、渔业\t3\t⟦2⟧", 2, "条", "caption"),
    T("采矿业\t⟦1⟧", 1, "条", "caption"),
    T("采矿业\t1\t⟦1⟧", 1, "条", "caption"),
    T("邮政业\t⟦4⟧", 4, "条", "caption"),
    T("邮政业\t4\t⟦3⟧", 3, "条", "caption"),
    T("服务业\t⟦6⟧", 6, "条", "caption"),
    T("服务业\t6\t⟦5⟧", 5, "条", "caption"),
    Q("施行⟦一年⟧来", 1, "年"),
    Z("中国（海南）自由贸易试验区", "hainan"),
    Q("一千二百多家", 1200, "家", "多"),
    Q("两成左右", 2, "成", "左右"),
]

FACTS["02_customs_bulletin.txt"] = [
    Z("中国（广西）自由贸易试验区", "guangxi"),
    D("区⟦2026年1⟧—10月外贸", "2026-01"),
    D("区2026年1—⟦10月⟧外贸", "2026-10"),
    D("据海关统计，⟦2026年1⟧—10月", "2026-01"),
    D("据海关统计，2026年1—⟦10月⟧", "2026-10"),
    Z("，⟦广西自贸试验区⟧实现", "guangxi"),
    Q("1 286.4亿元", 1286.4, "亿元"),
    Q("增长⟦9.7%⟧", 9.7, "%"),
    Q("712.5亿元", 712.5, "亿元"),
    Q("12.3%", 12.3, "%"),
    Q("573.9亿元", 573.9, "亿元"),
    Q("6.6%", 6.6, "%"),
    Z("表1　⟦广西自贸试验区⟧", "guangxi"),
    T("进出口总值\t⟦1286.4⟧", 1286.4, "亿元", "caption"),
    T("1286.4\t⟦9.7⟧", 9.7, "%", "column"),
    T("出口\t⟦712.5⟧", 712.5, "亿元", "caption"),
    T("712.5\t⟦12.3⟧", 12.3, "%", "column"),
    T("进口\t⟦573.9⟧", 573.9, "亿元", "caption"),
    T("573.9\t⟦6.6⟧", 6.6, "%", "column"),
    Z("南宁片区", "guangxi", "南宁片区"),
    T("402.1", 402.1, "亿元", "column"),
    T("15.2", 15.2, "%", "column"),
    T("31.3", 31.3, "%", "column"),
    Z("钦州港片区", "guangxi", "钦州港片区"),
    T("655.8", 655.8, "亿元", "column"),
    T("6.4 ", 6.4, "%", "column"),
    T("51.0", 51.0, "%", "column"),
    Z("崇左片区", "guangxi", "崇左片区"),
    T("228.5", 228.5, "亿元", "column"),
    T("-2.1", -2.1, "%", "column"),
    T("17.8", 17.8, "%", "column"),
    T("1520.3", 1520.3, "万吨", "unit_column"),
    T("1268400", 1268400, "万元", "column"),
    T("410.7", 410.7, "万吨", "unit_column"),
    T("1905200", 1905200, "万元", "column"),
    T("86120", 86120, "吨", "unit_column"),
    T("72810", 72810, "万元", "column"),
]

FACTS["03_third_party_evaluation.txt"] = [
    D("2026年6月", "2026-06"),
    D("至⟦9月⟧", "2026-09"),
    Z("湖北自贸试验区武汉片区", "hubei", "武汉片区"),
    Q("1 850份", 1850, "份"),
    Q("1726份", 1726, "份"),
    E("由原来的5至7个工作日压缩至1个工作日", "企业开办时间", DEC, 5, 1, "个工作日", before_max=7),
    Q("5至7个工作日", 5, "个工作日", vmax=7),
    Q("压缩至⟦1个工作日⟧", 1, "个工作日"),
    E("120天，改革后压减至45天", "工程建设项目审批时限", DEC, 120, 45, "天"),
    Q("120天", 120, "天"),
    Q("45天", 45, "天"),
    E("为改革前的三分之一左右", "进口整体通关时间", DEC, pct=-66.67),
    Q("三分之一左右", 33.33, "%", "左右"),
    E("达到改革前的2倍多", "日处理报关单的能力", INC, pct=100),
    Q("2倍多", 2, "倍", "多"),
    E("由原来的约半个月缩短为两天左右", "登记时限", DEC, 0.5, 2, "天", pct=-86.67, before_unit="个月"),
    Q("约半个月", 0.5, "个月", "约"),
    Q("两天左右", 2, "天", "左右"),
    Q("5个部门", 5, "个"),
    Q("1个窗口", 1, "个"),
    E("企业开办\t个工作日\t5\t1", "企业开办", DEC, 5, 1, "个工作日"),
    T("个工作日\t⟦5⟧", 5, "个工作日", "unit_column"),
    T("个工作日\t5\t⟦1⟧", 1, "个工作日", "unit_column"),
    E("天\t120\t45", "施工许可", DEC, 120, 45, "天"),
    T("天\t⟦120⟧", 120, "天", "unit_column"),
    T("天\t120\t⟦45⟧", 45, "天", "unit_column"),
    E("48\t4", "外资备案", DEC, 48, 4, "小时"),
    T("⟦48⟧\t4", 48, "小时", "unit_column"),
    T("48\t⟦4⟧", 4, "小时", "unit_column"),
    T("92.6", 92.6, "分", "column"),
    T("92.6\t⟦30⟧", 30, "%", "column"),
    T("88.4", 88.4, "分", "column"),
    T("88.4\t⟦25⟧", 25, "%", "column"),
    T("85.1", 85.1, "分", "column"),
    T("85.1\t⟦25⟧", 25, "%", "column"),
    Q("近三成", 3, "成", "近"),
    Q("两三天", 2, "天", vmax=3),
    Q("⟦1天⟧。", 1, "天"),
]

FACTS["04_ocr_work_report.txt"] = [
    D("二〇二六年一月十八日", "2026-01-18"),
    Q("过去⟦一年⟧，", 1, "年"),
    Q("２３６５．８億元", 2365.8, "亿元"),
    Q("６．２％", 6.2, "%"),
    Z("中国（四川）自由贸易试验区成都\n天府新区片区", "sichuan", "成都天府新区片区"),
    Q("1 205家", 1205, "家"),
    Q("8\n6家", 86, "家"),
    E("由过去的平均30天压缩至7天", "审批事项办理时间", DEC, 30, 7, "天"),
    Q("30天", 30, "天"),
    Q("7天", 7, "天"),
    E("压减比例达到7\n6.7%", "审批事项办理时间", DEC, pct=-76.7),
    Q("7\n6.7%", 76.7, "%"),
    Q("４，８００列", 4800, "列"),
    Q("１５％", 15, "%"),
    E("由原来的\n— 4 —\n\n12小时縮短至4小時", "企业办税缴费时间", DEC, 12, 4, "小时"),
    Q("12小时", 12, "小时"),
    Q("4小時", 4, "小时"),
    D("。二〇二六年，", "2026"),
    Q("超过３０億美元", 30, "亿美元", "超过"),
]

FACTS["05_press_conference.txt"] = [
    Z("海南自贸试验区", "hainan"),
    E("4个窗口、耗时15天，现在只要1个窗口", "窗口", DEC, 4, 1, "个"),
    E("15天，现在只要1个窗口、3天", "办理时间", DEC, 15, 3, "天"),
    Q("4个窗口", 4, "个"),
    Q("15天", 15, "天"),
    Q("1个窗口", 1, "个"),
    Q("、⟦3天⟧就能", 3, "天"),
    Q("一百来项", 100, "项", "来"),
    Q("两千多家", 2000, "家", "多"),
    E("将近半年，现在缩短为两周左右", "注册登记时间", DEC, 0.5, 2, "周", pct=-92.33, before_unit="年", occ=0),
    Q("将近半年", 0.5, "年", "将近"),
    Q("两周左右", 2, "周", "左右", occ=0),
    E("由原来的约半年缩短为两周左右", "注册登记时间", DEC, 0.5, 2, "周", pct=-92.33, before_unit="年"),
    Q("约半年", 0.5, "年", "约"),
    Q("两周左右", 2, "周", "左右", occ=1),
    E("是改革前的3倍多", "跨境电商清单审核能力", INC, pct=200),
    Q("3倍多", 3, "倍", "多"),
    Q("七八个", 7, "个", vmax=8),
    Q("好几百名", 100, "名", "好几"),
    Q("好几百家", 100, "家", "好几"),
    Q("十几家", 10, "家", "几"),
    E("压缩一半", "通关时间", DEC, pct=-50),
    Q("一半", 50, "%"),
    Q("三五年", 3, "年", vmax=5),
]

if __name__ == "__main__":
    # paired effects across clauses interleave (4个…15天，现在1个…3天)
    gold = build(FACTS, DOCS, may_overlap=("effect",))
    write(gold, HERE / "gold.jsonl")
