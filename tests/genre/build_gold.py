"""Build tests/genre/gold.jsonl from hand-written fact entries.

Each fact is an entry (type, substring, occurrence, fields). The substring is searched with
str.find in the decoded document. Conventions for writing entries:

* ``occ=None`` (default): the search string must occur exactly once in the document.
* ``occ=N`` (int): the N-th occurrence (0-based, overlapping matches counted).
* ``occ=ALL(n)``: every occurrence is a fact of this type; the document must contain exactly
  ``n`` occurrences that are not already inside an explicitly placed fact of the same type
  (e.g. "南京片区" inside "江苏自贸试验区南京片区").
* A substring may carry context: ``"其中⟦3项⟧在全国"`` searches "其中3项在全国" and the fact
  is the bracketed part only. This keeps anchors unique without counting occurrences.

Annotation conventions where docs/extraction.md leaves room (applied in every document):

* quantity: Chinese numerals are converted in full (两万家 -> 20000 家, 超过千亿元 -> 1e11 元);
  Arabic numbers keep 万/亿 in the unit (1.36万家). Fractions (一半, 三分之一, 约千分之四) have
  a decimal value and unit null; 半年 is 0.5 年. Units are NFKC-normalised (％ -> %). Spaces
  between number and unit lie inside the span. A hedge belongs to the span only when it is in
  the guideline list and touches the number. Not quantities: slogans with numerals (一站式,
  双随机、一公开, 两步申报, 一带一路, 一窗受理), section/table/figure labels (3.1, 表1, 图3-1,
  第4期), ordinals (一期, 首期, 第三方), phone numbers, table sequence numbers.
* effect: span starts at 从/由/较/比 when present, else at the change verb (同比/年均 and the
  measure stay outside). A change verb with a quantified amount or end point is an effect
  whatever the tense (targets included), unless it is growth or decline of an economic
  indicator (trade, investment, enterprises, output, throughput, shares, growth rates,
  satisfaction rates: docs/extraction.md), whose numbers stay quantities only;
  cross-sectional comparisons (高于/低于…个百分点, 较X片区高…, 多出6项), 新增/新设 flows and
  unquantified claims (明显提升) are not. 减少一半 is an effect (-50). 增长N倍/提升N倍 = +N*100 %, 翻一番 = +100 (and 一番 is a quantity: 1 番).
  个百分点 changes and absolute amounts go to change_abs with change_pct null. Ranges use the
  first bound (压缩10%—15% -> -10). Redacted changes (增长**%) are effects with null numbers.
* zone: names inside organisation or law titles count (武汉片区管委会, 《中国（陕西）自由贸易试验区
  条例》); a zone name followed by an area is one mention; bare 中心商务片区 -> tianjin /
  滨海新区中心商务片区; 中心片区 in a Shaanxi text -> shaanxi / 中心片区. 中国—东盟自贸区,
  东北亚自贸园区, 海南自由贸易港 and generic 片区/自贸试验区 are not zone references.
* date: the span is the date expression only (2022年 in 2022年度/2022年底/2021年以来); a year
  range gives two dates; relative years (上年, 今年, 去年) are not dates.
* table_row: header rows are not annotated; rows of non-replication tables carry cells only.
* case: title span excludes the 【案例一】 label; a section heading such as 案例选介 is not a case.

Run: python tests/genre/build_gold.py  (writes gold.jsonl next to this file, prints checks).
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
OUT = HERE / "gold.jsonl"
DATA = HERE.parent.parent / "zimao" / "data"

L, R = "⟦", "⟧"


class ALL:
    def __init__(self, n: int):
        self.n = n


def _unit(u):
    return None if u is None else unicodedata.normalize("NFKC", u)


def Q(sub, value, unit, approx=None, vmax=None, red=False, occ=None):
    return (
        "quantity",
        sub,
        occ,
        {"value": value, "value_max": vmax, "unit": _unit(unit), "approx": approx, "redacted": red},
    )


def Z(sub, zone, area=None, occ=None):
    return ("zone", sub, occ, {"zone": zone, "area": area})


def D(sub, date, red=False, occ=None):
    return ("date", sub, occ, {"date": date, "redacted": red})


def EF(sub, measure, direction, before=None, after=None, unit=None, pct=None, abs_=None, occ=None):
    if pct is None and before is not None and after is not None:
        pct = round((after - before) / before * 100, 2)
    return (
        "effect",
        sub,
        occ,
        {
            "measure": measure,
            "before": before,
            "after": after,
            "unit": _unit(unit),
            "change_pct": pct,
            "change_abs": abs_,
            "direction": direction,
        },
    )


def C(sub, zone, domain, occ=None):
    return (
        "case",
        sub,
        occ,
        {"title": sub.replace(L, "").replace(R, ""), "zone": zone, "domain": domain},
    )


def T(sub, cells, table, seq=None, item=None, unit=None, scope=None, occ=None):
    return (
        "table_row",
        sub,
        occ,
        {
            "table": table,
            "cells": cells,
            "seq": seq,
            "item": item,
            "responsible_unit": unit,
            "scope": scope,
        },
    )


# ---------------------------------------------------------------------------------------------
# 01 annual work summary (Shaanxi)
# ---------------------------------------------------------------------------------------------
D01 = [
    Z("中国（陕西）自由贸易试验区", "shaanxi", occ=ALL(2)),
    Z("陕西自贸试验区", "shaanxi", occ=ALL(4)),
    Z("中心片区", "shaanxi", "中心片区", occ=ALL(3)),
    Z("西安国际港务区片区", "shaanxi", "西安国际港务区片区", occ=ALL(3)),
    Z("杨凌示范区片区", "shaanxi", "杨凌示范区片区", occ=ALL(3)),
    Z("上海自贸试验区", "shanghai"),
    Z("广东自贸试验区", "guangdong"),
    Z("河南自贸试验区郑州片区", "henan", "郑州片区"),
    D("⟦2022年⟧度", "2022"),
    D("⟦2022年⟧，陕西", "2022"),
    D("2022年9月", "2022-09"),
    D("⟦2022年⟧底", "2022"),
    D("2017年4月", "2017-04"),
    D("较⟦2021年⟧压缩", "2021"),
    D("四、⟦2023年⟧工作打算", "2023"),
    D("⟦2023年⟧，陕西", "2023"),
    D("2023年1月18日", "2023-01-18"),
    Q("1286.4亿元", 1286.4, "亿元"),
    Q("15.2%", 15.2, "%"),
    Q("6.1个百分点", 6.1, "个百分点"),
    Q("近四成", 4, "成", "近"),
    Q("612.7亿元", 612.7, "亿元"),
    Q("21.6%", 21.6, "%"),
    Q("673.7亿元", 673.7, "亿元"),
    Q("10.1%", 10.1, "%"),
    Q("86.3亿元", 86.3, "亿元"),
    Q("近一倍", 1, "倍", "近"),
    Q("超过4600列", 4600, "列", "超过"),
    Q("约700列", 700, "列", "约"),
    Q("12.6亿美元", 12.6, "亿美元"),
    Q("8.3%", 8.3, "%"),
    Q("312家", 312, "家"),
    Q("约两成", 2, "成", "约"),
    Q("二十一个", 21, "个"),
    Q("逾40亿美元", 40, "亿美元", "逾"),
    Q("三亿五千万元", 350000000, "元"),
    Q("两万家", 20000, "家"),
    Q("1.36万家", 1.36, "万家"),
    Q("12.4%", 12.4, "%"),
    Q("超过11万家", 11, "万家", "超过"),
    Q("近1.2万亿元", 1.2, "万亿元", "近"),
    Q("约十分之一", 0.1, None, "约"),
    Q("120家左右", 120, "家", "左右"),
    Q("30余家", 30, "家", "余"),
    Q("逾千家", 1000, "家", "逾"),
    Q("3.2亿件", 3.2, "亿件"),
    Q("十余个", 10, "个", "余"),
    Q("23.5%", 23.5, "%"),
    Q("5条", 5, "条"),
    Q("45个", 45, "个"),
    Q("约18万吨", 18, "万吨", "约"),
    Q("11.7%", 11.7, "%"),
    Q("60家", 60, "家"),
    Q("58项", 58, "项"),
    Q("其中⟦3项⟧在全国", 3, "项"),
    Q("11项", 11, "项"),
    Q("超过600项", 600, "项", "超过"),
    Q("三成以上", 3, "成", "以上"),
    Q("523项", 523, "项"),
    Q("由⟦6个⟧精简", 6, "个"),
    Q("精简为⟦2个⟧", 2, "个"),
    Q("0.5个工作日", 0.5, "个工作日"),
    Q("8600余件", 8600, "件", "余"),
    Q("75%", 75, "%"),
    Q("31.7%", 31.7, "%"),
    Q("1.2小时左右", 1.2, "小时", "左右"),
    Q("100%", 100, "%"),
    Q("近两千万元", 20000000, "元", "近"),
    Q("超过900亿元", 900, "亿元", "超过"),
    Q("18.9%", 18.9, "%"),
    Q("50亿元", 50, "亿元"),
    Q("近300家", 300, "家", "近"),
    Q("210项", 210, "项"),
    Q("46次", 46, "次"),
    Q("3500多户", 3500, "户", "多"),
    Q("17条", 17, "条"),
    Q("260余件", 260, "件", "余"),
    Q("45天", 45, "天"),
    Q("5%左右", 5, "%", "左右"),
    Q("三是⟦三个⟧片区", 3, "个"),
    Q("1400亿元左右", 1400, "亿元", "左右"),
    Q("1.5万家以上", 1.5, "万家", "以上"),
    Q("50项以上", 50, "项", "以上"),
    EF("由6个精简为2个", "企业开办环节", "decrease", before=6, after=2, unit="个"),
    EF("压缩至0.5个工作日", "企业开办时间", "decrease", after=0.5, unit="个工作日"),
    EF("较法定时限缩短75%", "平均审批时限", "decrease", pct=-75),
    EF("较2021年压缩31.7%", "进口整体通关时间", "decrease", pct=-31.7),
    EF("缩短至1.2小时左右", "出口整体通关时间", "decrease", after=1.2, unit="小时"),
    EF("节约通关成本近两千万元", "通关成本", "decrease", abs_=20000000, unit="元"),
    EF("缩短至45天", "平均审理周期", "decrease", after=45, unit="天"),
]

# ---------------------------------------------------------------------------------------------
# 02 newspaper report (Nansha area)
# ---------------------------------------------------------------------------------------------
D02 = [
    Z("中国（广东）自由贸易试验区南沙片区", "guangdong", "南沙片区"),
    Z("南沙片区", "guangdong", "南沙片区", occ=ALL(10)),
    Z("广东自贸试验区", "guangdong", occ=ALL(2)),
    Z("前海蛇口片区", "guangdong", "前海蛇口片区", occ=ALL(5)),
    Z("横琴片区", "guangdong", "横琴片区", occ=ALL(4)),
    Z("中心商务片区", "tianjin", "滨海新区中心商务片区", occ=ALL(2)),
    Z("南京片区", "jiangsu", "南京片区", occ=ALL(4)),
    Z("临港新片区", "shanghai", "临港新片区", occ=ALL(3)),
    D("2023年3月14日", "2023-03-14"),
    D("⟦2022年⟧南沙片区", "2022"),
    D("到⟦2025年⟧，前海", "2025"),
    D("⟦2022年⟧底", "2022"),
    D("力争⟦2023年⟧经由", "2023"),
    D("到⟦2025年⟧外贸", "2025"),
    Q("⟦八年⟧深耕", 8, "年"),
    Q("40分钟", 40, "分钟"),
    Q("至少三趟", 3, "趟", "至少"),
    Q("一周多", 1, "周", "多"),
    Q("⟦三个⟧片区", 3, "个"),
    Q("60平方公里", 60, "平方公里"),
    Q("挂牌⟦八年⟧来", 8, "年"),
    Q("900余项", 900, "项", "余"),
    Q("43项", 43, "项"),
    Q("超过200项", 200, "项", "超过"),
    Q("2940亿元", 2940, "亿元"),
    Q("6.3%", 6.3, "%"),
    Q("近三成", 3, "成", "近"),
    Q("1,182家", 1182, "家"),
    Q("约86亿元", 86, "亿元", "约"),
    Q("12条", 12, "条"),
    Q("9.4%", 9.4, "%"),
    Q("超过150条", 150, "条", "超过"),
    Q("约15天", 15, "天", "约"),
    Q("5天左右", 5, "天", "左右"),
    Q("⟦两个⟧海外仓", 2, "个"),
    Q("27%", 27, "%"),
    Q("40余家", 40, "家", "余"),
    Q("3-5个工作日", 3, "个工作日", vmax=5),
    Q("压缩至⟦1个工作日⟧", 1, "个工作日"),
    Q("超过1.5万家", 1.5, "万家", "超过"),
    Q("2300余家", 2300, "家", "余"),
    Q("超过六成", 6, "成", "超过"),
    Q("逾500名", 500, "名", "逾"),
    Q("一半以上", 0.5, None, "以上"),
    Q("1,100余家", 1100, "家", "余"),
    Q("超过千亿元", 100000000000, "元", "超过"),
    Q("三年多", 3, "年", "多"),
    Q("20余人", 20, "人", "余"),
    Q("三成以上", 3, "成", "以上"),
    Q("3500亿元", 3500, "亿元"),
    Q("10%左右", 10, "%", "左右"),
    EF(
        "从过去的约15天缩短到5天左右", "出口退货处理时间", "decrease", before=15, after=5, unit="天"
    ),
    EF(
        "由原来的3-5个工作日压缩至1个工作日",
        "跨境融资审核时间",
        "decrease",
        before=3,
        after=1,
        unit="个工作日",
    ),
    EF("缩短了一半以上", "澳门居民事项办理时间", "decrease", pct=-50),
]

# ---------------------------------------------------------------------------------------------
# 03 benchmarking report (Wuhan area)
# ---------------------------------------------------------------------------------------------
T03 = "表1  跨境贸易与企业开办主要指标对比"
D03 = [
    Z("湖北自贸试验区武汉片区", "hubei", "武汉片区"),
    Z("武汉片区", "hubei", "武汉片区", occ=ALL(15)),
    Z("上海自贸试验区", "shanghai", occ=ALL(4)),
    Z("广东自贸试验区前海蛇口片区", "guangdong", "前海蛇口片区"),
    Z("前海蛇口片区", "guangdong", "前海蛇口片区", occ=ALL(4)),
    Z("浙江自贸试验区杭州片区", "zhejiang", "杭州片区"),
    Z("杭州片区", "zhejiang", "杭州片区", occ=ALL(4)),
    D("****年", None, red=True, occ=ALL(4)),
    T(
        "进口整体通关时间    **小时          6至8小时            ＊＊小时",
        ["进口整体通关时间", "**小时", "6至8小时", "＊＊小时"],
        T03,
    ),
    T(
        "出口整体通关时间    2.1小时         1.5小时左右         1.8小时",
        ["出口整体通关时间", "2.1小时", "1.5小时左右", "1.8小时"],
        T03,
    ),
    T(
        "企业开办时间        3-4个工作日     1个工作日           0.5个工作日",
        ["企业开办时间", "3-4个工作日", "1个工作日", "0.5个工作日"],
        T03,
    ),
    T(
        "企业开办环节        5个             2个                 3个",
        ["企业开办环节", "5个", "2个", "3个"],
        T03,
    ),
    Q("⟦四个⟧维度", 4, "个"),
    Q("**项", None, "项", red=True, occ=ALL(4)),
    Q("1,236份", 1236, "份"),
    Q("68家", 68, "家"),
    Q("**小时", None, "小时", red=True, occ=ALL(2)),
    Q("6至8小时", 6, "小时", vmax=8, occ=ALL(3)),
    Q("＊＊小时", None, "小时", red=True),
    Q("2.1小时", 2.1, "小时"),
    Q("1.5小时左右", 1.5, "小时", "左右"),
    Q("1.8小时", 1.8, "小时"),
    Q("3-4个工作日", 3, "个工作日", vmax=4, occ=ALL(2)),
    Q("1个工作日", 1, "个工作日", occ=ALL(3)),
    Q("0.5个工作日", 0.5, "个工作日"),
    Q("企业开办环节        ⟦5个⟧", 5, "个"),
    Q("5个             ⟦2个⟧", 2, "个"),
    Q("2个                 ⟦3个⟧", 3, "个"),
    Q("开办环节⟦5个⟧；", 5, "个"),
    Q("近三成", 3, "成", "近"),
    Q("约15%", 15, "%", "约"),
    Q("**亿元", None, "亿元", red=True),
    Q("**%", None, "%", red=True, occ=ALL(3)),
    Q("＊＊%", None, "%", red=True, occ=ALL(4)),
    Q("约四成", 4, "成", "约", occ=ALL(2)),
    Q("四成左右", 4, "成", "左右"),
    Q("0.6个百分点左右", 0.6, "个百分点", "左右"),
    Q("3.2个百分点", 3.2, "个百分点"),
    Q("近两成", 2, "成", "近"),
    Q("过去⟦一年⟧内", 1, "年"),
    Q("**个工作日", None, "个工作日", red=True, occ=ALL(2)),
    Q("6项", 6, "项"),
    Q("六成左右", 6, "成", "左右"),
    Q("1.3次", 1.3, "次"),
    Q("45天", 45, "天"),
    Q("20天", 20, "天"),
    Q("约25个工作日", 25, "个工作日", "约"),
    Q("**个百分点", None, "个百分点", red=True),
    Q("52%左右", 52, "%", "左右"),
    Q("近两年", 2, "年", "近"),
    Q("12.4%", 12.4, "%"),
    Q("10.8%", 10.8, "%"),
    Q("10%—15%", 10, "%", vmax=15),
    Q("90%以上", 90, "%", "以上"),
    Q("精简至⟦2个⟧", 2, "个"),
    Q("至少5款", 5, "款", "至少"),
    Q("3个百分点", 3, "个百分点"),
    Q("20%以上", 20, "%", "以上"),
    EF("压缩至1个工作日", "企业开办时间", "decrease", after=1, unit="个工作日", occ=ALL(2)),
    EF("压减至**个工作日", "社会投资项目审批时间", "decrease", unit="个工作日"),
    EF("由45天压缩至20天", "简易注销公告期", "decrease", before=45, after=20, unit="天"),
    EF("压缩了12.4%", "进口整体通关时间（前海蛇口片区）", "decrease", pct=-12.4),
    EF("压缩了10.8%", "进口整体通关时间（杭州片区）", "decrease", pct=-10.8),
    EF("压缩**%", "进口整体通关时间（武汉片区）", "decrease"),
    EF("压缩10%—15%", "进口整体通关时间", "decrease", pct=-10),
    EF("精简至2个", "企业开办环节", "decrease", after=2, unit="个"),
    EF("压减20%以上", "审批事项", "decrease", pct=-20),
]

# ---------------------------------------------------------------------------------------------
# 04 typical cases compilation
# ---------------------------------------------------------------------------------------------
D04 = [
    C("天津自贸试验区东疆片区探索飞机租赁资产跨境转让“一站式”服务新模式", "tianjin", "finance"),
    C("江苏自贸试验区南京片区构建集成电路企业“保税研发”全流程监管新模式", "jiangsu", "trade"),
    C("广东自贸试验区横琴片区推行港澳专业人士跨境执业“备案即执业”改革", "guangdong", "mobility"),
    C("浙江自贸试验区宁波片区探索大宗商品保税混兑监管新模式", "zhejiang", "trade"),
    C("四川自贸试验区川南临港片区推行工业项目“拿地即开工”审批服务改革", "sichuan", "investment"),
    Z("天津自贸试验区东疆片区", "tianjin", None),
    Z("东疆片区", "tianjin", None, occ=ALL(1)),
    Z("江苏自贸试验区南京片区", "jiangsu", "南京片区"),
    Z("南京片区", "jiangsu", "南京片区", occ=ALL(1)),
    Z("广东自贸试验区横琴片区", "guangdong", "横琴片区"),
    Z("横琴片区", "guangdong", "横琴片区", occ=ALL(2)),
    Z("浙江自贸试验区宁波片区", "zhejiang", "宁波片区"),
    Z("宁波片区", "zhejiang", "宁波片区", occ=ALL(2)),
    Z("四川自贸试验区川南临港片区", "sichuan", "川南临港片区"),
    Z("川南临港片区", "sichuan", "川南临港片区", occ=ALL(1)),
    D("⟦2022年⟧底", "2022"),
    D("2022年12月", "2022-12"),
    D("预计⟦2023年⟧", "2023"),
    D("⟦2022年⟧，宁波", "2022"),
    D("⟦2021年⟧以来", "2021"),
    D("2023年2月", "2023-02"),
    Q("⟦5个⟧典型案例", 5, "个"),
    Q("三天以上", 3, "天", "以上"),
    Q("10个工作日", 10, "个工作日"),
    Q("72小时", 72, "小时"),
    Q("37小时", 37, "小时"),
    Q("18个", 18, "个"),
    Q("至⟦4个⟧", 4, "个"),
    Q("46架", 46, "架"),
    Q("约31亿美元", 31, "亿美元", "约"),
    Q("88%", 88, "%"),
    Q("70%以上", 70, "%", "以上"),
    Q("超过2.6亿元", 2.6, "亿元", "超过"),
    Q("27家", 27, "家"),
    Q("50家左右", 50, "家", "左右"),
    Q("8类", 8, "类"),
    Q("由⟦5个工作日⟧缩减", 5, "个工作日"),
    Q("缩减为⟦1个工作日⟧", 1, "个工作日"),
    Q("减少⟦一半⟧", 0.5, None),
    Q("逾600名", 600, "名", "逾"),
    Q("2倍", 2, "倍"),
    Q("约三成", 3, "成", "约"),
    Q("三分之一", 0.3333, None),
    Q("41%", 41, "%"),
    Q("半年以上", 0.5, "年", "以上"),
    Q("至少三次", 3, "次", "至少"),
    Q("最多一次", 1, "次", "最多"),
    Q("15个工作日", 15, "个工作日"),
    Q("5个月", 5, "个月"),
    Q("32个", 32, "个"),
    EF(
        "从72小时压缩到37小时", "飞机转让手续办理时间", "decrease", before=72, after=37, unit="小时"
    ),
    EF("由18个精简至4个", "申请材料", "decrease", before=18, after=4, unit="个"),
    EF("压减88%", "进口审批时限", "decrease", pct=-88),
    EF("缩短70%以上", "研发样品通关时间", "decrease", pct=-70),
    EF(
        "由5个工作日缩减为1个工作日",
        "执业备案办理时间",
        "decrease",
        before=5,
        after=1,
        unit="个工作日",
    ),
    EF("减少一半", "需提交的材料", "decrease", pct=-50),
    EF("提升2倍", "混兑作业效率", "increase", pct=200),
    EF("降低约三成", "企业综合物流成本", "decrease", pct=-30),
    EF("缩短至原来的三分之一", "单船供油作业时间", "decrease", pct=-66.67),
    EF("由至少三次压缩至最多一次", "企业办事跑动次数", "decrease", before=3, after=1, unit="次"),
    EF("压减至15个工作日", "项目审批办理时间", "decrease", after=15, unit="个工作日"),
    EF("缩短5个月", "项目开工准备期", "decrease", abs_=5, unit="个月"),
]

# ---------------------------------------------------------------------------------------------
# 05 State-Council-style notice with replication table
# ---------------------------------------------------------------------------------------------
T05 = "新一批改革试点经验复制推广工作任务分工表"
PAD = " " * 82
D05 = [
    D("2013年9月", "2013-09"),
    D("2021年12月31日", "2021-12-31"),
    D("⟦2022年⟧上半年", "2022"),
    D("2021年6月15日", "2021-06-15"),
    Q("260余项", 260, "项", "余"),
    Q("共⟦11项⟧", 11, "项"),
    Q("推广⟦8项⟧", 8, "项"),
    Q("推广⟦2项⟧", 2, "项"),
    Q("推广⟦1项⟧", 1, "项"),
    Q("5个工作日", 5, "个工作日", occ=ALL(2)),
    Q("3个月", 3, "个月"),
    EF(
        "压缩至5个工作日",
        "进境动植物检疫许可审批时限",
        "decrease",
        after=5,
        unit="个工作日",
        occ=ALL(2),
    ),
    T(
        "1       涉企经营许可“容缺受理+承诺补正”机制            市场监管总局                全国",
        ["1", "涉企经营许可“容缺受理+承诺补正”机制", "市场监管总局", "全国"],
        T05,
        1,
        "涉企经营许可“容缺受理+承诺补正”机制",
        "市场监管总局",
        "全国",
    ),
    T(
        "2       外商投资企业登记注册“跨境通办”                市场监管总局、商务部        全国",
        ["2", "外商投资企业登记注册“跨境通办”", "市场监管总局、商务部", "全国"],
        T05,
        2,
        "外商投资企业登记注册“跨境通办”",
        "市场监管总局、商务部",
        "全国",
    ),
    T(
        "3       国际航行船舶进出境手续“联检并联”              海关总署、交通运输部        全国\n"
        "        办理模式",
        ["3", "国际航行船舶进出境手续“联检并联”办理模式", "海关总署、交通运输部", "全国"],
        T05,
        3,
        "国际航行船舶进出境手续“联检并联”办理模式",
        "海关总署、交通运输部",
        "全国",
    ),
    T(
        "4       进境动植物检疫许可审批时限压缩至5个工作日      海关总署                    全国",
        ["4", "进境动植物检疫许可审批时限压缩至5个工作日", "海关总署", "全国"],
        T05,
        4,
        "进境动植物检疫许可审批时限压缩至5个工作日",
        "海关总署",
        "全国",
    ),
    T(
        "5       出口退税备案单证数字化管理                    税务总局                    全国",
        ["5", "出口退税备案单证数字化管理", "税务总局", "全国"],
        T05,
        5,
        "出口退税备案单证数字化管理",
        "税务总局",
        "全国",
    ),
    T(
        "6       知识产权质押融资风险补偿“共担池”              国家知识产权局、银保监会    全国",
        ["6", "知识产权质押融资风险补偿“共担池”", "国家知识产权局、银保监会", "全国"],
        T05,
        6,
        "知识产权质押融资风险补偿“共担池”",
        "国家知识产权局、银保监会",
        "全国",
    ),
    T(
        "7       商事纠纷“诉调对接”多元化解机制                最高人民法院、司法部        全国",
        ["7", "商事纠纷“诉调对接”多元化解机制", "最高人民法院、司法部", "全国"],
        T05,
        7,
        "商事纠纷“诉调对接”多元化解机制",
        "最高人民法院、司法部",
        "全国",
    ),
    T(
        "8       工业用地“标准地+承诺制”供应                   自然资源部                  全国",
        ["8", "工业用地“标准地+承诺制”供应", "自然资源部", "全国"],
        T05,
        8,
        "工业用地“标准地+承诺制”供应",
        "自然资源部",
        "全国",
    ),
    T(
        "9       跨境人民币结算“白名单”便利化                  人民银行                    自贸试验区",
        ["9", "跨境人民币结算“白名单”便利化", "人民银行", "自贸试验区"],
        T05,
        9,
        "跨境人民币结算“白名单”便利化",
        "人民银行",
        "自贸试验区",
    ),
    T(
        "10      资本项目收入支付“承诺制”审核                  国家外汇局                  自贸试验区",
        ["10", "资本项目收入支付“承诺制”审核", "国家外汇局", "自贸试验区"],
        T05,
        10,
        "资本项目收入支付“承诺制”审核",
        "国家外汇局",
        "自贸试验区",
    ),
    T(
        "11      保税燃料油跨关区直供监管                      海关总署                    特定区域（具备条件的海关\n"
        + PAD
        + "特殊监管区域）",
        ["11", "保税燃料油跨关区直供监管", "海关总署", "特定区域（具备条件的海关特殊监管区域）"],
        T05,
        11,
        "保税燃料油跨关区直供监管",
        "海关总署",
        "特定区域（具备条件的海关特殊监管区域）",
    ),
]

# ---------------------------------------------------------------------------------------------
# 06 research report section (full-width digits and letters)
# ---------------------------------------------------------------------------------------------
D06 = [
    Z("中国（上海）自由贸易试验区", "shanghai"),
    Z("上海自贸试验区临港新片区", "shanghai", "临港新片区"),
    Z("上海自贸试验区", "shanghai", occ=ALL(2)),
    Z("广东自贸试验区前海蛇口片区", "guangdong", "前海蛇口片区"),
    Z("广东自贸试验区", "guangdong", occ=ALL(2)),
    Z("浙江自贸试验区", "zhejiang"),
    Z("天津自贸试验区", "tianjin", occ=ALL(2)),
    Z("重庆自贸试验区", "chongqing", occ=ALL(2)),
    Z("四川自贸试验区", "sichuan", occ=ALL(2)),
    Z("广西自贸试验区", "guangxi"),
    Z("南沙片区", "guangdong", "南沙片区"),
    Z("福建自贸试验区", "fujian"),
    Z("河南自贸试验区", "henan"),
    Z("湖北自贸试验区", "hubei"),
    D("自⟦２０１３年⟧", "2013"),
    D("⟦2013⟧—2018年", "2013"),
    D("2013—⟦2018年⟧", "2018"),
    D("⟦2019⟧—2020年", "2019"),
    D("2019—⟦2020年⟧", "2020"),
    D("二〇二〇年", "2020"),
    D("２０２０年", "2020", occ=ALL(6)),
    D("⟦2018⟧—2020年", "2018"),
    D("2018—⟦2020年⟧", "2020"),
    D("２０１９年８月", "2019-08"),
    D("⟦2013⟧—2020年", "2013"),
    D("2013—⟦2020年⟧", "2020"),
    D("２０１７年", "2017"),
    D("⟦２０１１⟧—", "2011"),
    D("⟦２０１３⟧—２０２０年", "2013"),
    D("２０２５年", "2025"),
    Q("⟦三个⟧阶段", 3, "个"),
    Q("由⟦1个⟧增加", 1, "个"),
    Q("增加到⟦12个⟧", 12, "个"),
    Q("⟦两年⟧内", 2, "年"),
    Q("自贸试验区⟦9个⟧", 9, "个"),
    Q("达到⟦21个⟧", 21, "个"),
    Q("约六成", 6, "成", "约"),
    Q("约四成", 4, "成", "约"),
    Q("２１个", 21, "个"),
    Q("４．６万亿元", 4.6, "万亿元"),
    Q("１４．５％", 14.5, "％"),
    Q("约千分之四", 0.004, None, "约", occ=ALL(2)),
    Q("约三成", 3, "成", "约"),
    Q("１２．５％", 12.5, "％"),
    Q("9.8%", 9.8, "%"),
    Q("7.6%", 7.6, "%"),
    Q("⟦四个⟧自贸试验区", 4, "个"),
    Q("近六成", 6, "成", "近"),
    Q("23.1%", 23.1, "%"),
    Q("19.6%", 19.6, "%"),
    Q("⟦六个⟧自贸试验区", 6, "个"),
    Q("50.2%", 50.2, "%"),
    Q("1698亿元", 1698, "亿元"),
    Q("16.9%", 16.9, "%"),
    Q("2.4个百分点", 2.4, "个百分点"),
    Q("四分之一以上", 0.25, None, "以上"),
    Q("七成以上", 7, "成", "以上"),
    Q("超过45%", 45, "%", "超过"),
    Q("约三分之一", 0.3333, None, "约"),
    Q("约27%", 27, "%", "约"),
    Q("１２项", 12, "项"),
    Q("４７项", 47, "项"),
    Q("六成左右", 6, "成", "左右"),
    Q("约0.8个百分点", 0.8, "个百分点", "约"),
    Q("约1.2个百分点", 1.2, "个百分点", "约"),
    Q("两年左右", 2, "年", "左右"),
    Q("约七分之一", 0.1429, None, "约"),
    Q("六分之一左右", 0.1667, None, "左右"),
    Q("20%", 20, "%"),
    Q("25%左右", 25, "%", "左右"),
]

# ---------------------------------------------------------------------------------------------
# 07 policy interpretation (Guangxi)
# ---------------------------------------------------------------------------------------------
D07 = [
    Z("中国（广西）自由贸易试验区", "guangxi", occ=ALL(3)),
    Z("广西自贸试验区", "guangxi", occ=ALL(4)),
    Z("南宁片区", "guangxi", "南宁片区", occ=ALL(4)),
    Z("钦州港片区", "guangxi", "钦州港片区", occ=ALL(3)),
    Z("崇左片区", "guangxi", "崇左片区", occ=ALL(4)),
    D("2019年8月30日", "2019-08-30"),
    D("2022年10月1日", "2022-10-01"),
    D("2025年12月31日", "2025-12-31"),
    D("预计到⟦2025年⟧", "2025"),
    D("比⟦2022年⟧翻一番", "2022"),
    Q("119.99平方公里", 119.99, "平方公里"),
    Q("46.8平方公里", 46.8, "平方公里"),
    Q("58.19平方公里", 58.19, "平方公里"),
    Q("15平方公里", 15, "平方公里"),
    Q("挂牌⟦三年⟧来", 3, "年"),
    Q("120余项", 120, "项", "余"),
    Q("⟦2项⟧入选", 2, "项"),
    Q("⟦1项⟧被纳入", 1, "项"),
    Q("近两年", 2, "年", "近"),
    Q("三成左右", 3, "成", "左右"),
    Q("⟦5个⟧部分", 5, "个"),
    Q("24条", 24, "条"),
    Q("⟦四个⟧方面", 4, "个"),
    Q("最多1000万元", 1000, "万元", "最多"),
    Q("1个工作日", 1, "个工作日"),
    Q("15个工作日左右", 15, "个工作日", "左右"),
    Q("最多3年", 3, "年", "最多"),
    Q("20%以上", 20, "%", "以上"),
    Q("超过5000万元", 5000, "万元", "超过"),
    Q("15%以上", 15, "%", "以上"),
    Q("2倍", 2, "倍"),
    Q("10亿元", 10, "亿元"),
    Q("连续安排⟦三年⟧", 3, "年"),
    Q("最多200万元", 200, "万元", "最多"),
    Q("⟦三个⟧片区", 3, "个", occ=ALL(2)),
    Q("实施⟦两年⟧后", 2, "年"),
    Q("两次", 2, "次"),
    Q("20个工作日", 20, "个工作日"),
    Q("一番", 1, "番"),
    Q("12%左右", 12, "%", "左右"),
    Q("3万家以上", 3, "万家", "以上"),
    Q("20项以上", 20, "项", "以上"),
    EF("压缩至1个工作日", "外商投资企业设立登记办理时限", "decrease", after=1, unit="个工作日"),
    EF("压缩20%以上", "口岸货物平均通关时间", "decrease", pct=-20),
    EF("放宽至企业净资产的2倍", "单笔跨境融资额度", "increase", after=2, unit="倍"),
]

# ---------------------------------------------------------------------------------------------
# 08 mixed bulletin (Qingdao area)
# ---------------------------------------------------------------------------------------------
D08 = [
    C("青岛片区创新进口冷链食品“全链条”协同监管典型案例", "shandong", "supervision"),
    Z("中国（山东）自由贸易试验区青岛片区", "shandong", "青岛片区"),
    Z("青岛片区", "shandong", "青岛片区", occ=ALL(7)),
    Z("山东自贸试验区", "shandong", occ=ALL(2)),
    Z("济南片区", "shandong", "济南片区", occ=ALL(2)),
    Z("烟台片区", "shandong", "烟台片区", occ=ALL(2)),
    Z("上海自贸试验区临港新片区", "shanghai", "临港新片区"),
    Z("天津自贸试验区东疆片区", "tianjin", None),
    D("⟦2023年⟧上半年工作简报", "2023"),
    D("⟦2023年⟧上半年，青岛", "2023"),
    D("较⟦2021年⟧同期", "2021"),
    D("从⟦2022年⟧的", "2022"),
    D("⟦2025年⟧。", "2025"),
    D("2023年7月12日", "2023-07-12"),
    Q("1068.5    亿元", 1068.5, "亿元"),
    Q("55%", 55, "%"),
    Q("近40个百分点", 40, "个百分点", "近"),
    Q("38.2%", 38.2, "%"),
    Q("12.3个百分点", 12.3, "个百分点"),
    Q("61.4%", 61.4, "%"),
    Q("126　　家", 126, "家"),
    Q("3.6亿美元", 3.6, "亿美元"),
    Q("19.8%", 19.8, "%"),
    Q("4,312户", 4312, "户"),
    Q("超过八成", 8, "成", "超过"),
    Q("一番", 1, "番"),
    Q("约72亿元", 72, "亿元", "约"),
    Q("31家", 31, "家"),
    Q("67家", 67, "家"),
    Q("1.5倍", 1.5, "倍"),
    Q("14个", 14, "个"),
    Q("其中⟦3个⟧被", 3, "个"),
    Q("减少⟦3个⟧", 3, "个"),
    Q("26.4小时", 26.4, "小时"),
    Q("9.1小时", 9.1, "小时"),
    Q("412.7        亿元", 412.7, "亿元"),
    Q("近四成", 4, "成", "近"),
    Q("280余列", 280, "列", "余"),
    Q("近一倍", 1, "倍", "近"),
    Q("620家", 620, "家"),
    Q("超过1,500亿元", 1500, "亿元", "超过"),
    Q("34.6%", 34.6, "%"),
    Q("97%", 97, "%"),
    Q("0.5个工作日", 0.5, "个工作日"),
    Q("26个工作日", 26, "个工作日"),
    Q("约六成", 6, "成", "约"),
    Q("1.9万笔", 1.9, "万笔"),
    Q("约48亿美元", 48, "亿美元", "约"),
    Q("63%", 63, "%"),
    Q("20亿元", 20, "亿元"),
    Q("1倍", 1, "倍"),
    Q("提高至⟦2倍⟧", 2, "倍"),
    Q("9.6%", 9.6, "%"),
    Q("18个", 18, "个"),
    Q("约260亿元", 260, "亿元", "约"),
    Q("超过10亿元", 10, "亿元", "超过"),
    Q("7个", 7, "个"),
    Q("约三成", 3, "成", "约"),
    Q("4天", 4, "天"),
    Q("1.5天左右", 1.5, "天", "左右"),
    Q("约1200元", 1200, "元", "约"),
    Q("42%", 42, "%"),
    Q("近百家", 100, "家", "近"),
    Q("10%以上", 10, "%", "以上"),
    Q("2200亿元左右", 2200, "亿元", "左右"),
    Q("10个以上", 10, "个", "以上"),
    Q("30　个以上", 30, "个", "以上"),
    EF(
        "由原来平均26.4小时压缩至9.1小时",
        "企业通关时间",
        "decrease",
        before=26.4,
        after=9.1,
        unit="小时",
    ),
    EF("减少3个", "单证审核环节", "decrease", abs_=3, unit="个"),
    EF("压减至26个工作日", "施工许可审批用时", "decrease", after=26, unit="个工作日"),
    EF("较改革前缩短约六成", "施工许可审批用时", "decrease", pct=-60),
    EF("由净资产的1倍提高至2倍", "跨境融资额度", "increase", before=1, after=2, unit="倍"),
    EF("从4天缩短至1.5天左右", "单柜货物平均滞港时间", "decrease", before=4, after=1.5, unit="天"),
    EF("下降约1200元", "单柜综合成本", "decrease", abs_=1200, unit="元"),
]

ENTRIES = {
    "01_annual_summary.txt": D01,
    "02_news_report.txt": D02,
    "03_benchmarking.txt": D03,
    "04_typical_cases.txt": D04,
    "05_notice_table.txt": D05,
    "06_research_comparison.txt": D06,
    "07_policy_interpretation.txt": D07,
    "08_mixed_bulletin.txt": D08,
}

FIELD_ORDER = {
    "zone": ["zone", "area"],
    "quantity": ["value", "value_max", "unit", "approx", "redacted"],
    "date": ["date", "redacted"],
    "effect": ["measure", "before", "after", "unit", "change_pct", "change_abs", "direction"],
    "case": ["title", "zone", "domain"],
    "table_row": ["table", "cells", "seq", "item", "responsible_unit", "scope"],
}
APPROX = {None, "余", "多", "近", "约", "超过", "逾", "以上", "左右", "上下", "至少", "最多"}


def _occurrences(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos != -1:
        out.append(pos)
        pos = text.find(needle, pos + 1)
    return out


def _split(sub: str) -> tuple[str, int, int]:
    """Return (search string, offset of fact inside it, fact length)."""
    if L in sub:
        pre, rest = sub.split(L, 1)
        mid, post = rest.split(R, 1)
        return pre + mid + post, len(pre), len(mid)
    return sub, 0, len(sub)


def locate(doc: str, text: str, entries) -> list[dict]:
    facts: list[dict] = []
    placed: dict[str, list[tuple[int, int]]] = defaultdict(list)
    errors: list[str] = []

    def add(ftype, start, end, fields):
        facts.append(
            {
                "doc": doc,
                "type": ftype,
                "start": start,
                "end": end,
                "text": text[start:end],
                **{k: fields[k] for k in FIELD_ORDER[ftype]},
            }
        )
        placed[ftype].append((start, end))

    explicit = [e for e in entries if not isinstance(e[2], ALL)]
    expanded = [e for e in entries if isinstance(e[2], ALL)]
    for ftype, sub, occ, fields in explicit:
        needle, off, length = _split(sub)
        hits = _occurrences(text, needle)
        if occ is None:
            if len(hits) != 1:
                errors.append(f"{doc}: {ftype} {sub!r} expected unique, found {len(hits)}")
                continue
            pos = hits[0]
        else:
            if occ >= len(hits):
                errors.append(f"{doc}: {ftype} {sub!r} occurrence {occ} of {len(hits)}")
                continue
            pos = hits[occ]
        add(ftype, pos + off, pos + off + length, fields)
    for ftype, sub, occ, fields in expanded:
        needle, off, length = _split(sub)
        hits = []
        for pos in _occurrences(text, needle):
            s, e = pos + off, pos + off + length
            if any(ps <= s and e <= pe for ps, pe in placed[ftype]):
                continue  # part of a longer explicit mention of the same type
            hits.append((s, e))
        if len(hits) != occ.n:
            errors.append(
                f"{doc}: {ftype} {sub!r} expected {occ.n} free occurrences, found {len(hits)}"
            )
            continue
        for s, e in hits:
            add(ftype, s, e, fields)
    if errors:
        raise SystemExit("\n".join(errors))
    return facts


def check(doc: str, text: str, facts: list[dict], zones, areas, domains) -> None:
    seen = set()
    by_type = defaultdict(list)
    for f in facts:
        assert f["text"] == text[f["start"] : f["end"]], f
        assert f["text"] and f["text"] == f["text"].strip(), f"untrimmed span {f}"
        key = (f["type"], f["start"], f["end"])
        assert key not in seen, f"duplicate {f}"
        seen.add(key)
        by_type[f["type"]].append(f)
        t = f["type"]
        if t == "zone":
            assert f["zone"] in zones, f
            assert f["area"] is None or (f["zone"], f["area"]) in areas, f
        elif t == "quantity":
            assert f["approx"] in APPROX, f
            assert (f["value"] is None) == f["redacted"], f
            if f["approx"]:
                assert f["approx"] in f["text"], f
        elif t == "date":
            assert (f["date"] is None) == f["redacted"], f
            assert f["date"] is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", f["date"]), f
        elif t == "effect":
            assert f["direction"] in {"increase", "decrease"}, f
            pct = f["change_pct"]
            if pct is not None:
                assert (pct > 0) == (f["direction"] == "increase"), f
        elif t == "case":
            assert f["zone"] is None or f["zone"] in zones, f
            assert f["domain"] is None or f["domain"] in domains, f
            assert f["title"] == f["text"], f
        elif t == "table_row":
            squeezed = re.sub(r"\s+", "", f["text"])
            # wrapped cells interleave across lines, so compare as character multisets
            assert Counter("".join(f["cells"])) == Counter(squeezed), (f["cells"], squeezed)
            if f["seq"] is not None:
                assert f["cells"][0] == str(f["seq"]) and f["item"] == f["cells"][1], f
    for t, fs in by_type.items():
        fs = sorted(fs, key=lambda f: f["start"])
        for a, b in zip(fs, fs[1:], strict=False):
            assert a["end"] <= b["start"], (
                f"overlapping {t} facts in {doc}: {a['text']!r} / {b['text']!r}"
            )


def main() -> int:
    zones = {r["code"] for r in csv.DictReader(open(DATA / "zones.csv", encoding="utf-8"))}
    areas = {
        (r["zone"], r["name_zh"])
        for r in csv.DictReader(open(DATA / "areas.csv", encoding="utf-8"))
    }
    domains = {r["code"] for r in csv.DictReader(open(DATA / "domains.csv", encoding="utf-8"))}
    all_facts = []
    docs_on_disk = sorted(p.name for p in DOCS.glob("*.txt"))
    assert docs_on_disk == sorted(ENTRIES), (docs_on_disk, sorted(ENTRIES))
    types = ["zone", "quantity", "date", "effect", "case", "table_row"]
    print(f"{'doc':32} {'chars':>5} {'cjk':>5} " + " ".join(f"{t:>9}" for t in types))
    for doc in sorted(ENTRIES):
        text = (DOCS / doc).read_bytes().decode("utf-8")
        cjk = len(re.findall(r"[\u4e00-\u9fff\u3007]", text))
        assert 1500 <= cjk <= 3000, (doc, cjk)
        facts = locate(doc, text, ENTRIES[doc])
        check(doc, text, facts, zones, areas, domains)
        counts = Counter(f["type"] for f in facts)
        print(f"{doc:32} {len(text):5} {cjk:5} " + " ".join(f"{counts[t]:9}" for t in types))
        all_facts.extend(facts)
    all_facts.sort(key=lambda f: (f["doc"], f["start"], f["end"], f["type"]))
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        for f in all_facts:
            fh.write(json.dumps(f, ensure_ascii=False) + "\n")
    total = Counter(f["type"] for f in all_facts)
    print("total", len(all_facts), dict(sorted(total.items())))
    # re-read and verify every span against the original text
    texts = {d: (DOCS / d).read_bytes().decode("utf-8") for d in ENTRIES}
    for line in open(OUT, encoding="utf-8"):
        f = json.loads(line)
        assert texts[f["doc"]][f["start"] : f["end"]] == f["text"]
    print("all spans verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
