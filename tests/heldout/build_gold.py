"""Build gold.jsonl for the second held-out extraction set (tests/heldout/docs).

Every fact is written as (type, exact span text, fields) plus, where the span text is not
unique in its document, a unique context string `ctx` that contains it (and `occ`, the
0-based occurrence of the span inside that context).  Each span is located with str.find,
checked, and written to gold.jsonl sorted by doc and start.

Conventions where docs/extraction.md is silent:
- quantity: only value, value_max, unit, approx, redacted are annotated (indicator/subject/
  year are best-effort in the contract and are left out).  Units are NFKC-normalised
  (％ -> %).  Chinese numerals that contain 万/亿 as digits are converted fully and the unit
  is the bare unit (近四亿元 -> 400000000 元), following the 三亿五千万元 example.
  Fractions -> percent (千分之一 -> 0.1 %, 三分之二 -> 66.67 %, 四分之一 -> 25 %).
  A hedge word counts only when adjacent to the number (约占…的四成 would not be hedged).
  两三天 -> value 2, value_max 3.  Period labels (前三季度, 第四季度), slogans without a
  unit (一网通办, 一单制, 两段准入, 一站式), codes (“1210”), times of day, list labels and
  table sequence numbers are not quantities.  Numbers inside table cells are quantities.
- effect: the span starts at 从/由/较/比 when present, otherwise at the change verb
  (增长, 压缩至, 节省 …) and ends after the last number+unit including a trailing hedge.
  Growth or decline of an economic indicator (同比/环比/年均 增长 X% of trade, investment,
  enterprises, output, throughput, settlement volumes; a growth rate 回落1.3个百分点) is not an
  effect (docs/extraction.md); its numbers stay quantities.
  提升/增长 N 倍 -> change_pct = +N*100.  Savings (节省约86万元) are effects with change_abs,
  direction decrease.  `unit` is the unit of before/after or of change_abs, null for
  percent-only changes; change_pct is computed (after-before)/before*100 when both are
  given, and change_abs is then null.  Plain levels (满意度达到98.6%), targets (力争…) and
  flows (新增…300余家) are quantities only.  Table cells never yield effects.
- zone: a zone/area name inside an organisation name counts, span = the zone-name part
  (中国（广西）自由贸易试验区工作办公室 -> 中国（广西）自由贸易试验区).  中心商务片区 maps to
  the reference area 滨海新区中心商务片区; 舟山片区 and 东疆片区 are not reference areas
  (area null).  Anaphoric 新片区 / 片区 / 本片区 are not mentions.
- date: a range 2019—2021年 gives two dates, spans "2019" and "2021年".  年 with 末/底/以来/
  起/上半年 gives the year, span up to 年.  Relative dates (今年5月, 去年, 上年) are not dates.
  A year inside 较2017年 / 比2021年末 counts as a date.
- case: a one-innovation evaluation report's title counts as one case (span = the whole
  title, both lines).  Case headings are spanned without the 案例N： label.  Items of a
  replication task list are table rows, not cases.
- table_row: `table` is the caption line as written; comparison-table rows have seq/item/
  responsible_unit/scope null; a wrapped item is joined without the line break/indent.
"""
import json
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DOCDIR = os.path.join(HERE, "docs")


def read(name):
    with open(os.path.join(DOCDIR, name), encoding="utf-8", newline="") as f:
        return f.read()


# ---------------------------------------------------------------- fact constructors
def Q(text, value, unit, approx=None, value_max=None, redacted=False, ctx=None, occ=0):
    return ("quantity", text, dict(value=value, value_max=value_max, unit=unit,
                                   approx=approx, redacted=redacted), ctx, occ)


def R(text, unit, ctx=None, occ=0):  # redacted quantity
    return Q(text, None, unit, redacted=True, ctx=ctx, occ=occ)


def Z(text, zone, area=None, ctx=None, occ=0):
    return ("zone", text, dict(zone=zone, area=area), ctx, occ)


def D(text, date, ctx=None, occ=0):
    return ("date", text, dict(date=date, redacted=date is None), ctx, occ)


def E(text, measure, direction, before=None, after=None, unit=None, change_pct=None,
      change_abs=None, ctx=None, occ=0):
    if before is not None and after is not None and change_pct is None:
        change_pct = round((after - before) / before * 100, 2)
    return ("effect", text, dict(measure=measure, before=before, after=after, unit=unit,
                                 change_pct=change_pct, change_abs=change_abs,
                                 direction=direction), ctx, occ)


def C(text, zone, domain, ctx=None):
    return ("case", text, dict(title=text, zone=zone, domain=domain), ctx, 0)


def T(text, cells, table, seq=None, item=None, responsible_unit=None, scope=None):
    return ("table_row", text, dict(table=table, seq=seq, item=item,
                                    responsible_unit=responsible_unit, scope=scope,
                                    cells=cells), None, 0)


INC, DEC = "increase", "decrease"
CBD = "滨海新区中心商务片区"

FACTS = {}

# =============================================================== 01 quarterly briefing
FACTS["01_quarterly_briefing.txt"] = [
    # zones
    Z("中国（广西）自由贸易试验区", "guangxi", ctx="中国（广西）自由贸易试验区2023年第三季度"),
    Z("中国（广西）自由贸易试验区", "guangxi", ctx="中国（广西）自由贸易试验区围绕"),
    Z("广西自贸试验区", "guangxi", ctx="广西自贸试验区主要经济指标"),
    Z("南宁片区", "guangxi", "南宁片区"),
    Z("钦州港片区", "guangxi", "钦州港片区", ctx="（二）钦州港片区"),
    Z("钦州港片区", "guangxi", "钦州港片区", ctx="钦州港片区口岸"),
    Z("崇左片区", "guangxi", "崇左片区", ctx="（三）崇左片区"),
    Z("崇左片区", "guangxi", "崇左片区", ctx="二是崇左片区"),
    Z("崇左片区", "guangxi", "崇左片区", ctx="向崇左片区梯度"),
    Z("中国（广西）自由贸易试验区", "guangxi", ctx="中国（广西）自由贸易试验区工作办公室"),
    # dates
    D("2023年", "2023", ctx="试验区2023年第三季度"),
    D("2019年8月", "2019-08"),
    D("2023年", "2023", ctx="2023年前三季度"),
    D("2023年9月", "2023-09"),
    D("2023年7月", "2023-07"),
    D("2017年", "2017"),
    D("2023年10月31日", "2023-10-31"),
    D("2023年10月16日", "2023-10-16"),
    # quantities
    Q("一万二千余家", 12000, "家", "余"),
    Q("18.6%", 18.6, "%"),
    Q("超过9.8万家", 9.8, "万家", "超过"),
    Q("600多家", 600, "家", "多"),
    Q("约1486.3亿元", 1486.3, "亿元", "约"),
    Q("12.4%", 12.4, "%"),
    Q("千分之一左右", 0.1, "%", "左右"),
    Q("30.2%", 30.2, "%"),
    Q("4.27亿美元", 4.27, "亿美元"),
    Q("逾两成", 2, "成", "逾"),
    Q("近四亿元", 400000000, "元", "近"),
    Q("503.8亿元", 503.8, "亿元"),
    Q("4.7%", 4.7, "%"),
    Q("1.3个百分点", 1.3, "个百分点"),
    Q("8362家", 8362, "家"),
    Q("21.3%", 21.3, "%"),
    Q("近七成", 7, "成", "近"),
    Q("612.5亿元", 612.5, "亿元"),
    Q("9.8%", 9.8, "%", ctx="同比增长9.8%"),
    Q("96.7亿元", 96.7, "亿元"),
    Q("35.4%", 35.4, "%"),
    Q("一百二十个", 120, "个"),
    Q("逾300亿元", 300, "亿元", "逾"),
    Q("20%—30%", 20, "%", value_max=30),
    Q("约562万标箱", 562, "万标箱", "约"),
    Q("14.1%", 14.1, "%"),
    Q("718.6亿元", 718.6, "亿元"),
    Q("16.2%", 16.2, "%"),
    Q("48.4%", 48.4, "%"),
    Q("7300余列", 7300, "列", "余"),
    Q("3至5天", 3, "天", value_max=5),
    Q("约18亿元", 18, "亿元", "约"),
    Q("205.2亿元", 205.2, "亿元"),
    Q("5.6%", 5.6, "%"),
    Q("1500辆左右", 1500, "辆", "左右"),
    Q("2100辆以上", 2100, "辆", "以上"),
    Q("三千余家", 3000, "家", "余"),
    Q("五十余家", 50, "家", "余"),
    Q("46项", 46, "项"),
    Q("一百五十余项", 150, "项", "余"),
    Q("3项", 3, "项"),
    Q("22项", 22, "项"),
    Q("14个", 14, "个"),
    Q("0.5个工作日", 0.5, "个工作日"),
    Q("90%以上", 90, "%", "以上"),
    Q("约1120亿元", 1120, "亿元", "约"),
    Q("四成左右", 4, "成", "左右"),
    Q("71.6%", 71.6, "%"),
    Q("60%左右", 60, "%", "左右"),
    Q("约35%", 35, "%", "约"),
    Q("1.6万家以上", 1.6, "万家", "以上"),
    Q("超过2000亿元", 2000, "亿元", "超过"),
    Q("5条以上", 5, "条", "以上"),
    # effects
    E("压缩至0.5个工作日", "企业开办平均时间", DEC, after=0.5, unit="个工作日"),
    E("较2017年压缩了71.6%", "进口整体通关时间", DEC, change_pct=-71.6),
]

# =============================================================== 02 evaluation report
TITLE2 = ("四川自贸试验区成都天府新区片区\n"
          "工程建设项目“承诺制+容缺受理”审批改革制度创新成果评估报告")
FACTS["02_evaluation_report.txt"] = [
    C(TITLE2, "sichuan", "investment"),
    # zones
    Z("四川自贸试验区成都天府新区片区", "sichuan", "成都天府新区片区"),
    Z("中国（四川）自由贸易试验区成都天府新区片区", "sichuan", "成都天府新区片区"),
    Z("川南临港片区", "sichuan", "川南临港片区"),
    Z("成都青白江铁路港片区", "sichuan", "成都青白江铁路港片区"),
    Z("成都天府新区片区", "sichuan", "成都天府新区片区", ctx="成都天府新区片区制度创新第三方评估组"),
    # dates
    D("2021年6月", "2021-06"),
    D("2022年3月", "2022-03"),
    D("20**年", None),
    # quantities
    Q("236份", 236, "份"),
    Q("约1100份", 1100, "份", "约"),
    Q("42家", 42, "家"),
    Q("4个", 4, "个", ctx="4个维度"),
    Q("16项", 16, "项"),
    Q("20%", 20, "%", ctx="分别为20%、40%、20%和20%", occ=0),
    Q("40%", 40, "%", ctx="分别为20%、40%、20%和20%"),
    Q("20%", 20, "%", ctx="分别为20%、40%、20%和20%", occ=1),
    Q("20%", 20, "%", ctx="分别为20%、40%、20%和20%", occ=2),
    Q("17类", 17, "类"),
    Q("60日", 60, "日"),
    Q("三年", 3, "年"),
    Q("36名", 36, "名"),
    Q("10日", 10, "日"),
    Q("110个工作日", 110, "个工作日"),
    Q("35个工作日", 35, "个工作日"),
    Q("57%", 57, "%"),
    Q("4.5个工作日", 4.5, "个工作日"),
    Q("20天", 20, "天"),
    Q("3天", 3, "天"),
    Q("42份", 42, "份"),
    Q("18份", 18, "份"),
    Q("23项", 23, "项"),
    Q("11项", 11, "项"),
    Q("约三分之二", 66.67, "%", "约"),
    Q("约86万元", 86, "万元", "约"),
    Q("超过2亿元", 2, "亿元", "超过"),
    R("**万元", "万元"),
    R("＊＊%", "%"),
    Q("2倍", 2, "倍"),
    Q("61.3%", 61.3, "%"),
    Q("83.5%", 83.5, "%"),
    Q("23.6个百分点", 23.6, "个百分点"),
    Q("98.6%", 98.6, "%"),
    Q("约5%", 5, "%", "约"),
    Q("3至7个工作日", 3, "个工作日", value_max=7),
    Q("95%以上", 95, "%", "以上"),
    # effects
    E("由改革前的110个工作日压缩至35个工作日", "审批用时", DEC, 110, 35, "个工作日"),
    E("较改革前缩短57%", "施工许可阶段办理时限", DEC, change_pct=-57),
    E("从平均20天减少到3天", "小型低风险项目审批时间", DEC, 20, 3, "天"),
    E("从42份减少到18份", "申报材料", DEC, 42, 18, "份"),
    E("由23项精简为11项", "审批事项", DEC, 23, 11, "项"),
    E("较改革前减少了约三分之二", "线下跑动次数", DEC, change_pct=-66.67),
    E("节省约86万元", "每个项目成本", DEC, unit="万元", change_abs=86),
    E("节约资金超过2亿元", "抽样项目资金成本", DEC, unit="亿元", change_abs=2),
    E("提升2倍", "施工图审查效率", INC, change_pct=200),
    E("由61.3%提高到83.5%", "一次性审查通过率", INC, 61.3, 83.5, "%"),
    E("提高了23.6个百分点", "项目按期开工率", INC, unit="个百分点", change_abs=23.6),
]

# =============================================================== 03 news feature
FACTS["03_news_feature.txt"] = [
    # zones
    Z("中国（广东）自由贸易试验区南沙片区", "guangdong", "南沙片区"),
    Z("南沙片区", "guangdong", "南沙片区", ctx="南沙片区累计形成"),
    Z("钦州港片区", "guangxi", "钦州港片区", ctx="北部湾畔的钦州港片区"),
    Z("中国（广西）自由贸易试验区", "guangxi"),
    Z("钦州港片区", "guangxi", "钦州港片区", ctx="钦州港片区就是这个枢纽"),
    Z("中国（河南）自由贸易试验区", "henan"),
    Z("郑州片区", "henan", "郑州片区", ctx="郑州片区持续迭代"),
    Z("郑州片区", "henan", "郑州片区", ctx="郑州片区跨境电商进出口"),
    Z("开封片区", "henan", "开封片区"),
    Z("洛阳片区", "henan", "洛阳片区"),
    Z("郑州片区", "henan", "郑州片区", ctx="与郑州片区在多式联运"),
    Z("中心商务片区", "tianjin", CBD, ctx="在天津，中心商务片区"),
    Z("东疆片区", "tianjin", None),
    Z("中心商务片区", "tianjin", CBD, ctx="错位发展，中心商务片区"),
    Z("中国（上海）自由贸易试验区临港新片区", "shanghai", "临港新片区"),
    Z("临港新片区", "shanghai", "临港新片区", ctx="临港新片区管委会"),
    Z("中国（浙江）自由贸易试验区", "zhejiang"),
    Z("舟山片区", "zhejiang", None, ctx="舟山片区去年"),
    Z("舟山片区", "zhejiang", None, ctx="舟山片区更多依靠"),
    Z("钦州港片区", "guangxi", "钦州港片区", ctx="推动钦州港片区与南沙片区"),
    Z("南沙片区", "guangdong", "南沙片区", ctx="推动钦州港片区与南沙片区"),
    Z("中心商务片区", "tianjin", CBD, ctx="推动中心商务片区与临港新片区"),
    Z("临港新片区", "shanghai", "临港新片区", ctx="推动中心商务片区与临港新片区"),
    # dates
    D("2022年", "2022", ctx="2022年以来"),
    D("2017年", "2017"),
    D("2023年1月", "2023-01"),
    D("8月", "2023-08", ctx="2023年1月至8月"),
    D("2022年", "2022", ctx="2022年片区商业保理"),
    D("2019年8月", "2019-08"),
    D("2023年", "2023", ctx="截至2023年底"),
    # quantities
    Q("1.5小时左右", 1.5, "小时", "左右"),
    Q("两三天", 2, "天", value_max=3),
    Q("近百项", 100, "项", "近"),
    Q("三成以上", 3, "成", "以上"),
    Q("40余名", 40, "名", "余"),
    Q("68%", 68, "%"),
    Q("0.8小时", 0.8, "小时"),
    Q("72条", 72, "条"),
    Q("100多个", 100, "个", "多"),
    Q("超过1.2亿单", 1.2, "亿单", "超过"),
    Q("约19%", 19, "%", "约"),
    Q("1800余家", 1800, "家", "余"),
    Q("四分之一左右", 25, "%", "左右"),
    Q("超过1500个", 1500, "个", "超过"),
    Q("约6800亿元", 6800, "亿元", "约"),
    Q("超过700万吨", 700, "万吨", "超过"),
    Q("22个", 22, "个"),
    Q("349项", 349, "项"),
    # effects
    E("压缩至1.5小时左右", "进口集装箱提离时间", DEC, after=1.5, unit="小时"),
    E("较2017年压缩了68%", "进口整体通关时间", DEC, change_pct=-68),
    E("降至0.8小时", "出口整体通关时间", DEC, after=0.8, unit="小时"),
]

# =============================================================== 04 replication list
CAP4 = "附件：河南省复制推广自由贸易试验区第七批改革试点经验任务清单"


def rows4(doc):
    """Table rows of doc 4, located from the line starting with the sequence number."""
    lines = doc.split("\n")
    i = lines.index(next(l for l in lines if l.startswith("序号")))
    out = []
    j = i + 1
    while j < len(lines) and lines[j].strip():
        first = lines[j]
        cells = re.split(r"\s{2,}", first.strip())
        span_lines = [first]
        while j + 1 < len(lines) and lines[j + 1].startswith("      ") and lines[j + 1].strip():
            j += 1
            span_lines.append(lines[j])
            cells[1] += lines[j].strip()
        assert len(cells) == 4, cells
        text = "\n".join(span_lines).rstrip()
        out.append(T(text, cells, CAP4, seq=int(cells[0]), item=cells[1],
                     responsible_unit=cells[2], scope=cells[3]))
        j += 1
    return out


FACTS["04_replication_list.txt"] = [
    Z("中国（河南）自由贸易试验区", "henan"),
    Z("河南自贸试验区", "henan"),
    Z("郑州片区", "henan", "郑州片区", ctx="郑州片区、开封片区、洛阳片区要"),
    Z("开封片区", "henan", "开封片区", ctx="郑州片区、开封片区、洛阳片区要"),
    Z("洛阳片区", "henan", "洛阳片区", ctx="郑州片区、开封片区、洛阳片区要"),
    Z("郑州片区", "henan", "郑州片区", ctx="人民银行河南省分行  郑州片区、洛阳片区"),
    Z("洛阳片区", "henan", "洛阳片区", ctx="人民银行河南省分行  郑州片区、洛阳片区"),
    Z("郑州片区", "henan", "郑州片区", ctx="网购保税    郑州海关                          郑州片区、开封片区"),
    Z("开封片区", "henan", "开封片区", ctx="网购保税    郑州海关                          郑州片区、开封片区"),
    Z("郑州片区", "henan", "郑州片区", ctx="省地方金融监管局    郑州片区"),
    D("2024年3月", "2024-03"),
    D("2023年11月8日", "2023-11-08"),
    Q("24项", 24, "项"),
    Q("10项", 10, "项"),
    Q("6项", 6, "项"),
    Q("4项", 4, "项", ctx="的事项4项"),
    Q("1个工作日", 1, "个工作日"),
]

# =============================================================== 05 case compilation
FACTS["05_case_compilation.txt"] = [
    C("湖南自贸试验区长沙片区推行中非跨境人民币结算便利化改革", "hunan", "finance"),
    C("山东自贸试验区青岛片区探索“关港联动”进口铁矿石通关新模式", "shandong", "trade"),
    C("黑龙江自贸试验区绥芬河片区推行对俄商务人员往来“一站式”服务改革", "heilongjiang",
      "mobility"),
    # zones
    Z("湖南自贸试验区长沙片区", "hunan", "长沙片区"),
    Z("长沙片区", "hunan", "长沙片区", ctx="长沙片区会同"),
    Z("山东自贸试验区青岛片区", "shandong", "青岛片区"),
    Z("青岛片区", "shandong", "青岛片区", ctx="青岛片区联合"),
    Z("黑龙江自贸试验区绥芬河片区", "heilongjiang", "绥芬河片区"),
    Z("绥芬河片区", "heilongjiang", "绥芬河片区", ctx="绥芬河片区在片区政务服务中心"),
    Z("中国（黑龙江）自由贸易试验区", "heilongjiang"),
    Z("哈尔滨片区", "heilongjiang", "哈尔滨片区"),
    Z("黑河片区", "heilongjiang", "黑河片区"),
    # dates
    D("2022年5月", "2022-05"),
    D("2023年", "2023", ctx="2023年，片区对非"),
    D("2021年10月", "2021-10"),
    D("2022年", "2022", ctx="2022年，青岛港"),
    D("2023年", "2023", ctx="2023年，经绥芬河"),
    # quantities
    Q("3个", 3, "个", ctx="遴选出3个"),
    Q("12家", 12, "家"),
    Q("48小时", 48, "小时"),
    Q("2小时", 2, "小时", ctx="压缩至2小时"),
    Q("30%左右", 30, "%", "左右"),
    Q("约4600万元", 4600, "万元", "约"),
    Q("126.8亿元", 126.8, "亿元"),
    Q("41.5%", 41.5, "%"),
    Q("两百余家", 200, "家", "余"),
    Q("60小时", 60, "小时"),
    Q("8小时左右", 8, "小时", "左右"),
    Q("1.5倍", 1.5, "倍"),
    Q("1.2元", 1.2, "元"),
    Q("18.7%", 18.7, "%"),
    Q("超过1.1亿吨", 1.1, "亿吨", "超过"),
    Q("15个工作日", 15, "个工作日"),
    Q("3个工作日", 3, "个工作日"),
    Q("约40%", 40, "%", "约"),
    Q("12.6万人次", 12.6, "万人次"),
    Q("63.2%", 63.2, "%"),
    Q("300余家", 300, "家", "余"),
    # effects
    E("由原来的48小时压缩至2小时", "跨境结算办理时间", DEC, 48, 2, "小时"),
    E("降低30%左右", "汇兑成本", DEC, change_pct=-30),
    E("节约汇兑成本约4600万元", "汇兑成本", DEC, unit="万元", change_abs=4600),
    E("由平均60小时缩短至8小时左右", "进口铁矿石通关时间", DEC, 60, 8, "小时"),
    E("提升1.5倍", "码头堆场周转效率", INC, change_pct=150),
    E("节省堆存费用1.2元", "每吨堆存费用", DEC, unit="元", change_abs=1.2),
    E("较改革前下降18.7%", "企业综合物流成本", DEC, change_pct=-18.7),
    E("由15个工作日压缩至3个工作日", "邀请函办理时限", DEC, 15, 3, "个工作日"),
    E("较改革前缩短约40%", "旅客通关排队时间", DEC, change_pct=-40),
]

# =============================================================== 06 statistical annex
CAP6 = "表1  湖北自贸试验区三个片区主要指标对比（2021年）"
ROWS6 = [
    ("新设企业              1.21万家        2860家          3015家",
     [("1.21万家", 1.21, "万家"), ("2860家", 2860, "家"), ("3015家", 3015, "家")]),
    ("实际使用外资          5.8亿美元       0.9亿美元       1.1亿美元",
     [("5.8亿美元", 5.8, "亿美元"), ("0.9亿美元", 0.9, "亿美元"), ("1.1亿美元", 1.1, "亿美元")]),
    ("外贸进出口额          612.4亿元       98.7亿元        121.3亿元",
     [("612.4亿元", 612.4, "亿元"), ("98.7亿元", 98.7, "亿元"), ("121.3亿元", 121.3, "亿元")]),
    ("高新技术企业占比      ３８．６％      ２４．１％      21.7%",
     [("３８．６％", 38.6, "%"), ("２４．１％", 24.1, "%"), ("21.7%", 21.7, "%")]),
    ("进出口增速            ２６．３％      １４．８％      19.5%",
     [("２６．３％", 26.3, "%"), ("１４．８％", 14.8, "%"), ("19.5%", 19.5, "%")]),
    ("研发投入强度          4.2%            ＊．＊％        2.9%",
     [("4.2%", 4.2, "%"), ("＊．＊％", None, "%"), ("2.9%", 2.9, "%")]),
]
F6 = [
    # zones
    Z("中国（湖北）自由贸易试验区", "hubei"),
    Z("湖北自贸试验区", "hubei", ctx="湖北自贸试验区累计新设企业"),
    Z("武汉片区", "hubei", "武汉片区", ctx="武汉片区是全省"),
    Z("襄阳片区", "hubei", "襄阳片区", ctx="襄阳片区以汽车"),
    Z("宜昌片区", "hubei", "宜昌片区", ctx="宜昌片区依托"),
    Z("湖北自贸试验区", "hubei", ctx=CAP6),
    Z("武汉片区", "hubei", "武汉片区", ctx="指标                  武汉片区"),
    Z("襄阳片区", "hubei", "襄阳片区", ctx="武汉片区        襄阳片区"),
    Z("宜昌片区", "hubei", "宜昌片区", ctx="襄阳片区        宜昌片区"),
    Z("襄阳片区", "hubei", "襄阳片区", ctx="2.襄阳片区"),
    Z("宜昌片区", "hubei", "宜昌片区", ctx="二是宜昌片区"),
    Z("湖北自贸试验区", "hubei", ctx="总体来看，湖北自贸试验区"),
    Z("襄阳片区", "hubei", "襄阳片区", ctx="襄阳片区、宜昌片区在外资规模"),
    Z("宜昌片区", "hubei", "宜昌片区", ctx="襄阳片区、宜昌片区在外资规模"),
    Z("武汉片区", "hubei", "武汉片区", ctx="与武汉片区相比"),
    Z("湖北自贸试验区", "hubei", ctx="湖北自贸试验区工作办公室"),
    # dates
    D("2019", "2019", ctx="统计时段为2019—2021年"),
    D("2021年", "2021", ctx="统计时段为2019—2021年"),
    D("２０２２年", "2022", ctx="２０２２年上半年，截止日期"),
    D("2022-06-30", "2022-06-30"),
    D("2021年3月", "2021-03"),
    D("2019年", "2019", ctx="2019年和2020年"),
    D("2020年", "2020", ctx="2019年和2020年"),
    D("2019", "2019", ctx="2019—2021年，湖北"),
    D("2021年", "2021", ctx="2019—2021年，湖北"),
    D("2021年", "2021", ctx="2021年，自贸试验区实现"),
    D("２０２２年", "2022", ctx="２０２２年上半年，受多重"),
    D("2021年", "2021", ctx="比2021年末"),
    D("2021年", "2021", ctx="主要指标对比（2021年）"),
    D("二〇二三年", "2023"),
    D("****年", None),
    D("2022年8月", "2022-08"),
    # quantities
    Q("8.6万家", 8.6, "万家"),
    Q("１２．５％", 12.5, "%"),
    Q("约1100家", 1100, "家", "约"),
    Q("千分之一", 0.1, "%"),
    Q("近三分之一", 33.33, "%", "近"),
    Q("约15%", 15, "%", "约"),
    Q("832.4亿元", 832.4, "亿元"),
    Q("23.7%", 23.7, "%"),
    Q("7.8亿美元", 7.8, "亿美元"),
    Q("１９．２％", 19.2, "%"),
    Q("398.6亿元", 398.6, "亿元"),
    Q("6.1%", 6.1, "%"),
    Q("约9个百分点", 9, "个百分点", "约"),
    Q("4180家", 4180, "家"),
    Q("520家", 520, "家"),
    Q("近六成", 6, "成", "近"),
    Q("1.1倍", 1.1, "倍"),
    Q("2300万吨左右", 2300, "万吨", "左右"),
    Q("三个", 3, "个", ctx=CAP6),
    Q("1%—2%", 1, "%", value_max=2),
    # effects
]
for line, qs in ROWS6:
    cells = re.split(r"\s{2,}", line)
    F6.append(T(line, cells, CAP6))
    for text, val, unit in qs:
        if val is None:
            F6.append(R(text, unit, ctx=line))
        else:
            F6.append(Q(text, val, unit, ctx=line))
FACTS["06_statistical_annex.txt"] = F6


# ---------------------------------------------------------------- locate and write
def locate(doc, text, ctx, occ):
    if ctx is None:
        assert doc.count(text) == 1, f"span not unique ({doc.count(text)}): {text!r}"
        s = doc.find(text)
    else:
        assert doc.count(ctx) == 1, f"ctx not unique ({doc.count(ctx)}): {ctx!r}"
        c = doc.find(ctx)
        k = -1
        for _ in range(occ + 1):
            k = ctx.find(text, k + 1)
            assert k >= 0, f"span {text!r} (occ {occ}) not in ctx {ctx!r}"
        s = c + k
    return s, s + len(text)


def build():
    out = []
    for name in sorted(FACTS):
        doc = read(name)
        facts = FACTS[name] + (rows4(doc) if name.startswith("04_") else [])
        seen = set()
        for typ, text, fields, ctx, occ in facts:
            try:
                s, e = locate(doc, text, ctx, occ)
            except AssertionError as exc:
                raise AssertionError(f"{name}: {exc}") from None
            assert doc[s:e] == text
            key = (typ, s, e)
            assert key not in seen, f"duplicate fact {key} {text!r}"
            seen.add(key)
            rec = {"doc": name, "type": typ, "start": s, "end": e, "text": text}
            rec.update(fields)
            out.append(rec)
    out.sort(key=lambda r: (r["doc"], r["start"], r["end"], r["type"]))
    return out


def self_check(records):
    docs = {}
    for r in records:
        doc = docs.setdefault(r["doc"], read(r["doc"]))
        assert doc[r["start"]:r["end"]] == r["text"], r
        if r["type"] == "quantity" and r["unit"]:
            assert r["unit"] == unicodedata.normalize("NFKC", r["unit"])
    # no two facts of the same type overlap
    by = {}
    for r in records:
        by.setdefault((r["doc"], r["type"]), []).append(r)
    for (d, t), rs in by.items():
        rs.sort(key=lambda r: r["start"])
        for a, b in zip(rs, rs[1:]):
            assert a["end"] <= b["start"], (d, t, a["text"], b["text"])


if __name__ == "__main__":
    recs = build()
    self_check(recs)
    with open(os.path.join(HERE, "gold.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {}
    for r in recs:
        counts.setdefault(r["doc"], {}).setdefault(r["type"], 0)
        counts[r["doc"]][r["type"]] += 1
    for d, c in sorted(counts.items()):
        print(d, dict(sorted(c.items())))
    print("total", len(recs))
