"""Each fact type on short passages written for these tests."""

from zimao.text.extract import extract_text


def facts_of(text: str, kind: str) -> list:
    return [f for f in extract_text(text) if f.type == kind]


def values(text: str) -> list:
    return [(f.text, f.fields["value"], f.fields["unit"]) for f in facts_of(text, "quantity")]


# --- zones ---------------------------------------------------------------------------------


def test_full_and_short_zone_names_resolve_to_codes():
    zones = facts_of("中国（上海）自由贸易试验区和浙江自贸区、湖北自由贸易试验区联合发布。", "zone")
    assert [(z.text, z.fields["zone"]) for z in zones] == [
        ("中国（上海）自由贸易试验区", "shanghai"),
        ("浙江自贸区", "zhejiang"),
        ("湖北自由贸易试验区", "hubei"),
    ]


def test_areas_alone_and_with_their_zone_resolve():
    zones = facts_of("横琴片区、中心商务片区与江苏自贸试验区南京片区签约，临港新片区列席。", "zone")
    assert [(z.fields["zone"], z.fields["area"]) for z in zones] == [
        ("guangdong", "横琴片区"),
        ("tianjin", "滨海新区中心商务片区"),
        ("jiangsu", "南京片区"),
        ("shanghai", "临港新片区"),
    ]
    assert zones[2].text == "江苏自贸试验区南京片区"


def test_provinces_cities_and_their_bodies_are_not_zones():
    text = "广州市商务局、四川省人民政府和海南自由贸易港的代表在广东座谈。"
    assert facts_of(text, "zone") == []


# --- quantities ----------------------------------------------------------------------------


def test_arabic_and_chinese_numerals_with_units():
    assert values(
        "实际使用外资三亿五千万元，引进项目二十一个，新增企业两万家，面积119.99平方公里。"
    ) == [
        ("三亿五千万元", 350000000, "元"),
        ("二十一个", 21, "个"),
        ("两万家", 20000, "家"),
        ("119.99平方公里", 119.99, "平方公里"),
    ]


def test_hedges_ranges_and_shares():
    facts = facts_of(
        "逾千家企业，300余家机构，用时6至8小时，占比四成，增幅70%以上，约1.5万人。", "quantity"
    )
    got = [(f.text, f.fields["value"], f.fields["value_max"], f.fields["approx"]) for f in facts]
    assert got == [
        ("逾千家", 1000, None, "逾"),
        ("300余家", 300, None, "余"),
        ("6至8小时", 6, 8, None),
        ("四成", 4, None, None),
        ("70%以上", 70, None, "以上"),
        ("约1.5万人", 1.5, None, "约"),
    ]


def test_dates_ordinals_document_numbers_and_labels_are_not_quantities():
    text = "2019年8月，第三批经验依据国发〔2018〕38号推广。一是完善制度，（二）强化监管，三大任务。"
    assert values(text) == []


def test_a_number_split_from_its_unit_by_a_line_break():
    facts = facts_of("累计进出口182.9\n\n亿元。", "quantity")
    assert [(f.fields["value"], f.fields["unit"], f.text) for f in facts] == [
        (182.9, "亿元", "182.9\n\n亿元")
    ]


def test_redacted_values_are_flagged_never_invented():
    facts = facts_of("进出口**亿元，同比增长＊＊%，****年起实施。", "quantity")
    assert [(f.fields["value"], f.fields["unit"], f.fields["redacted"]) for f in facts] == [
        (None, "亿元", True),
        (None, "%", True),
    ]
    dates = facts_of("进出口**亿元，同比增长＊＊%，****年起实施。", "date")
    assert [(d.fields["date"], d.fields["redacted"]) for d in dates] == [(None, True)]


def test_masked_counts_are_redacted_quantities_and_masked_places_are_not():
    text = "**市和××区共完成**批、××项、＊＊家，××公司等1**家企业，分*轮公布，在**县推开。"
    facts = facts_of(text, "quantity")
    assert [(f.text, f.fields["unit"], f.fields["redacted"]) for f in facts] == [
        ("**批", "批", True),
        ("××项", "项", True),
        ("＊＊家", "家", True),
        ("1**家", "家", True),
        ("*轮", "轮", True),
    ]
    assert all(f.fields["value"] is None for f in facts)


def test_counting_words_of_set_phrases_are_not_quantities():
    text = "推出两种模式、一类业务和一款小程序，提供一站式服务，推行一网通办，建设一体化平台。"
    assert values(text) == []
    reported = "办理环节减少两个，新增三类业务，共两类。"
    assert values(reported) == [("两个", 2, "个"), ("三类", 3, "类"), ("两类", 2, "类")]


def test_scientific_and_technical_units():
    text = "实现28纳米量产，掌握5微米封装，装机350兆瓦、100万千瓦，发电约4.2亿千瓦时，运量12万吨。"
    assert values(text) == [
        ("28纳米", 28, "纳米"),
        ("5微米", 5, "微米"),
        ("350兆瓦", 350, "兆瓦"),
        ("100万千瓦", 100, "万千瓦"),
        ("约4.2亿千瓦时", 4.2, "亿千瓦时"),
        ("12万吨", 12, "万吨"),
    ]


def test_a_unit_split_by_a_line_break_is_one_unit():
    assert values("占比提高了5个\n百分点，面积约66.14平方\n公里。") == [
        ("5个\n百分点", 5, "个百分点"),
        ("约66.14平方\n公里", 66.14, "平方公里"),
    ]


def test_a_unit_split_by_a_page_break_and_its_page_number_is_one_unit():
    text = "第一页正文。增速比上年提高5个\n- 1 -\f百分点，第二页正文继续。\n2"
    assert values(text) == [("5个\n- 1 -\f百分点", 5, "个百分点")]


def test_half_of_a_duration_is_a_quantity_and_half_year_periods_are_not():
    text = "办理需要半年以上，近半个月内完成，2023年上半年、下半年分别开展。"
    assert values(text) == [("半年以上", 0.5, "年"), ("近半个月", 0.5, "个月")]


def test_quantities_carry_indicator_year_and_subject():
    facts = facts_of("2020年，四川自贸试验区实际使用外资12亿美元。", "quantity")
    assert facts[0].fields["indicator"] == "实际使用外资"
    assert facts[0].fields["year"] == 2020
    assert facts[0].fields["subject"] == "sichuan"


# --- effects -------------------------------------------------------------------------------


def effect(text: str) -> dict:
    found = facts_of(text, "effect")
    assert len(found) == 1, found
    return {k: v for k, v in found[0].fields.items() if v is not None and k != "measure"}


def test_from_to_effects():
    assert effect("企业开办时间从72小时压缩到37小时。") == {
        "before": 72,
        "after": 37,
        "unit": "小时",
        "change_pct": -48.61,
        "direction": "decrease",
    }
    assert effect("申报材料由18个精简至4个。")["after"] == 4
    crossed = effect("查验时间由2天缩短为16分钟。")  # each side keeps its own unit
    assert (crossed["before"], crossed["before_unit"], crossed["unit"]) == (2, "天", "分钟")
    assert crossed["change_pct"] == -99.44


def test_relative_and_absolute_effects():
    assert effect("审批时限压减88%。")["change_pct"] == -88
    assert effect("通关时间缩短70%以上。")["change_pct"] == -70
    assert effect("备案时间缩短5个工作日。") == {
        "unit": "个工作日",
        "change_abs": 5,
        "direction": "decrease",
    }
    assert effect("为企业节约成本约5000万元。")["change_abs"] == 5000


def test_change_verbs_with_their_particles():
    for text, before, after in [
        ("申请表由9张合并为1张。", 9, 1),
        ("办理环节由7个减为2个。", 7, 2),
        ("审批要件从26项减到9项。", 26, 9),
        ("审批环节由5个合为1个。", 5, 1),
        ("报关代理费用从每票350元降到每票120元。", 350, 120),
        ("收费项目从12项归并为5项。", 12, 5),
    ]:
        found = effect(text)
        assert (found["before"], found["after"], found["direction"]) == (
            before,
            after,
            "decrease",
        ), text


def test_a_neutral_change_verb_takes_its_direction_from_the_values():
    assert effect("办理时长由5天变为1天。")["direction"] == "decrease"
    found = effect("收费标准由每吨8元调整为每吨5元。")
    assert (found["before"], found["after"], found["direction"]) == (8, 5, "decrease")
    assert effect("查验比例下调至1%。") == {"after": 1, "unit": "%", "direction": "decrease"}
    assert effect("企业减负约3亿元。")["change_abs"] == 3


def test_a_value_that_falls_to_zero():
    assert effect("需提交的纸质证明由3项减为零。") == {
        "before": 3,
        "after": 0,
        "unit": "项",
        "change_pct": -100,
        "direction": "decrease",
    }
    assert effect("现场核查次数减少至0。") == {"after": 0, "direction": "decrease"}
    assert facts_of("通关时间降至0.5小时。", "effect")[0].fields["after"] == 0.5


def test_tenths_halves_and_multiples_keep_their_hedges():
    found = facts_of("平均办理时间压缩超过六成，跑动次数减少一半，受理能力提高2倍。", "effect")
    assert [(f.text, f.fields["change_pct"]) for f in found] == [
        ("压缩超过六成", -60),
        ("减少一半", -50),
        ("提高2倍", 200),
    ]


def test_growth_of_an_economic_indicator_is_not_an_effect():
    text = (
        "全年新增企业8620家，同比增长14.3%；外贸进出口增长55%，实际使用外资增长12%，"
        "税收收入同比下降3%，新设企业数增长两倍，数字经济企业占比提高到27%，"
        "增速较一季度回落0.8个百分点，片区企业数量由1.2万家增加到3.5万家。"
    )
    assert facts_of(text, "effect") == []
    assert len(facts_of(text, "quantity")) == 10


def test_a_change_in_how_things_are_done_stays_an_effect_when_reported_year_on_year():
    found = effect("口岸进口整体通关时间为17.52小时，同比减少7.33小时。")
    assert found["change_abs"] == 7.33
    assert effect("集装箱查验比例由10%降为3%。")["after"] == 3


def test_a_saving_names_what_was_saved_and_is_counted_in_money_time_or_shares():
    found = facts_of("全年为企业节约通关成本近两千万元，受理减免税申请603份。", "effect")
    assert [(f.text, f.fields["measure"]) for f in found] == [
        ("节约通关成本近两千万元", "通关成本")
    ]


def test_an_effect_reports_what_was_measured():
    found = facts_of("跨境电商通关时间从72小时压缩到37小时。", "effect")
    assert found[0].fields["measure"].endswith("通关时间")


# --- dates ---------------------------------------------------------------------------------


def test_date_forms():
    text = "2019年8月26日挂牌，2020-09-21公布，二〇一九年起步，2013-2018年累计，当年7月验收。"
    assert [d.fields["date"] for d in facts_of(text, "date")] == [
        "2019-08-26",
        "2020-09-21",
        "2019",
        "2013",
        "2018",
        "2018-07",
    ]


# --- cases and tables ----------------------------------------------------------------------


def test_a_case_heading_and_a_case_caption():
    text = (
        "跨境贸易便利化典型案例\n"
        "广西自贸试验区探索跨境货车直通园区的通关新模式。\n"
        "过去车辆须在口岸换装，现在可直达园区。\n"
    )
    cases = facts_of(text, "case")
    assert [c.fields["title"] for c in cases] == [
        "跨境贸易便利化典型案例",
        "广西自贸试验区探索跨境货车直通园区的通关新模式。",
    ]
    assert cases[1].fields["zone"] == "guangxi"
    assert cases[1].fields["domain"] == "trade"


def test_rows_of_a_replication_list_in_pdf_text():
    text = (
        "附表 1  某年复制推广的改革事项\n\n序号 改革事项 负责单位 推广范围\n\n"
        "第一类改革试点经验\n\n"
        "1 跨境结算 “一次办” 人民银行 全国\n\n"
        "2 船舶登记 便利化改革 交通运输部 自贸试验区\n\n"
        "最佳实践案例\n\n3 园区综合服务新模式 - 全国\n"
    )
    rows = facts_of(text, "table_row")
    assert [
        (r.fields["seq"], r.fields["item"], r.fields["responsible_unit"], r.fields["scope"])
        for r in rows
    ] == [
        (1, "跨境结算 “一次办”", "人民银行", "全国"),
        (2, "船舶登记 便利化改革", "交通运输部", "自贸试验区"),
        (3, "园区综合服务新模式", "", "全国"),
    ]
    assert [c.fields["title"] for c in facts_of(text, "case")] == ["园区综合服务新模式"]


# --- classes found by blind sets A and B (sentences written for these tests) -----------------


def test_scores_in_points_are_quantities_but_not_adverbs_fractions_or_clock_times():
    text = (
        "评估得分为91.25分，较上年提高0.7分，65至75分之间的园区有9个；此事十分紧迫，9时45分开会。"
    )
    assert values(text) == [
        ("91.25分", 91.25, "分"),
        ("0.7分", 0.7, "分"),
        ("65至75分", 65, "分"),
        ("9个", 9, "个"),
    ]
    assert facts_of("园区综合评分比上年下降0.4分。", "effect") == []  # a score is a statistic


def test_units_of_goods_vehicles_and_lists():
    text = (
        "港区进出车辆约35.6万车次，报关240余项次，引进设备85台套，生产晶圆6万片、"
        "8英寸芯片，口罩1.5亿只，结算20亿卢布，建成15万吨级泊位，组建产业基金4支，"
        "覆盖东盟6国，报告共**页。"
    )
    assert [(t, u) for t, _, u in values(text)] == [
        ("约35.6万车次", "万车次"),
        ("240余项次", "项次"),
        ("85台套", "台套"),
        ("6万片", "万片"),
        ("8英寸", "英寸"),
        ("1.5亿只", "亿只"),
        ("20亿卢布", "亿卢布"),
        ("15万吨级", "万吨级"),
        ("4支", "支"),
        ("6国", "国"),
        ("**页", "页"),
    ]
    assert values("各部门支持3支持") == []


def test_arabic_numbers_after_characters_that_block_chinese_numerals():
    assert values("全年签发运单2500余单，单一窗口覆盖率提高。") == [("2500余单", 2500, "单")]


def test_negative_values_keep_their_sign():
    assert values("利润总额\t-12.5%\n区间3-5天") == [("-12.5%", -12.5, "%"), ("3-5天", 3, "天")]


def test_a_single_masked_digit_before_a_unit_is_redacted():
    found = facts_of("其中×项获评优秀，另有× 家企业入驻，实行7×24小时服务。", "quantity")
    assert [(f.text, f.fields["redacted"]) for f in found] == [
        ("×项", True),
        ("× 家", True),
        ("24小时", False),
    ]


def test_round_hedges_and_ten_odd():
    found = facts_of(
        "带动上万人就业，收取材料十几份，建设不少于8个站点，线上百家企业参展。", "quantity"
    )
    assert [(f.text, f.fields["value"], f.fields["approx"]) for f in found] == [
        ("上万人", 10000, "上"),
        ("十几份", 10, "几"),
        ("不少于8个", 8, "不少于"),
    ]


def test_cell_and_label_gaps_do_not_join_a_number_to_the_next_word():
    text = "序号\t片区\t得分\n5\t天河片区\t7\n表3\u3000省级指标\n案例二\u3000天津模式\n"
    assert values(text) == [("7", 7, "分")]  # the score column's unit; 5 is a sequence number
    assert values("新设企业\u3000\u3000 58\u3000家") == [("58\u3000家", 58, "家")]


def test_slogans_ordinal_lists_ranks_and_adjacent_periods():
    text = "推行“两照联办”“一日办结”，第三、四批经验，位列前五名，下一年度再评，设立三片区。"
    assert values(text) == [("三片区", 3, "片区")]
    assert values("**片区建设") == []  # a masked place name
    assert values("引进五类大型设备") == [("五类", 5, "类")]


def test_the_masked_day_of_a_masked_date_is_not_a_quantity():
    assert values("课题组\n＊＊＊＊年＊＊月＊＊日\n") == []
    assert values("用时＊＊日") == [("＊＊日", None, "日")]
