"""One sentence of our own per class of effect statement in docs/extraction.md (*Which effect
statements count*), with the fields the contract gives it."""

import pytest

from zimao.text.extract import extract_text

KEYS = ("before", "before_max", "before_unit", "after", "after_max", "unit", "change_pct")


def effects(text: str) -> list[dict]:
    return [
        {k: f.fields.get(k) for k in (*KEYS, "change_abs", "direction") if f.fields.get(k)}
        | {"text": f.text}
        for f in extract_text(text)
        if f.type == "effect"
    ]


def quantities(text: str) -> list[str]:
    return [f.text for f in extract_text(text) if f.type == "quantity"]


def test_a_present_marker_opening_the_next_sentence_answers_the_past_one():
    found = effects("以前报关要交九份单据、跑两个窗口；现在只交三份单据、跑一个窗口。")
    assert [(e["before"], e["after"]) for e in found] == [(9, 3), (2, 1)]


def test_a_past_value_pairs_across_a_full_stop_after_reform():
    (found,) = effects("此前船舶证书换发约需一个月。改革后，换发时间压缩到5天以内。")
    assert (found["before"], found["before_unit"], found["after"], found["unit"]) == (
        1,
        "个月",
        5,
        "天",
    )


def test_a_second_past_marker_starts_its_own_pair():
    found = effects("过去审图要30天。以前验收要20天，现在只需5天。")
    assert [(e["before"], e["after"]) for e in found] == [(20, 5)]


def test_spoken_ranges_pair_on_both_sides():
    (found,) = effects("原来办一次要跑三四趟，现在一两趟就够了。")
    assert (found["before"], found["before_max"], found["after"]) == (3, 4, 1)


def test_different_counted_things_make_no_pair():
    assert effects("原先审批要经过4个科室，现在2个专窗统一受理。") == []


def test_the_same_counted_thing_may_carry_different_modifiers():
    (found,) = effects("过去要交6份纸质证明，现在只交2份电子证明。")
    assert (found["before"], found["after"]) == (6, 2)


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("单证审核用时仅为原来的五分之一。", -80),
        ("查验能力达到改革前的4倍。", 300),
        ("窗口日均办件量翻了一番。", 100),
        ("每小时能处理的单证翻了两番。", 300),
        ("排队时间降至原来的25%。", -75),
    ],
)
def test_multiplicative_phrasings(text, change):
    (found,) = effects(text)
    assert found["change_pct"] == pytest.approx(change, abs=0.5)


def test_a_value_compared_with_is_the_before():
    (found,) = effects("目录共列28项，较上一版的112项减少七成。")
    assert (found["before"], found["change_pct"]) == (112, -70)


def test_a_comparison_with_the_national_average_is_no_effect():
    assert effects("片区企业开办时间比全国平均水平的4天缩短1天。") == []
    assert effects("通关时间较全国平均压缩40%。") == []


def test_durations_changed_by_a_measure_count_whatever_names_them():
    (found,) = effects("外资企业从签约到投产由平均9个月缩短至5个月。")
    assert (found["before"], found["after"], found["unit"]) == (9, 5, "个月")


def test_absolute_savings_of_money_and_of_counted_visits():
    found = effects("企业年均节省报关代理和仓储费用约2600元，全市群众减少跑腿约8万次。")
    assert [(e["change_abs"], e["unit"]) for e in found] == [(2600, "元"), (8, "万次")]


def test_a_target_counts_like_a_result():
    (found,) = effects("力争将项目审批时间压缩至20个工作日。")
    assert (found["after"], found["unit"], found["direction"]) == (20, "个工作日", "decrease")


def test_a_catalogue_widened_by_a_measure_is_an_effect():
    (found,) = effects("试点商品目录由40项扩大至65项。")
    assert (found["before"], found["after"], found["direction"]) == (40, 65, "increase")


def test_a_before_after_table_with_units_in_its_cells():
    text = "事项\t改革前\t改革后\t压减比例\n设立登记\t5个工作日\t1个工作日\t80%\n"
    found = effects(text)
    assert [(e["before"], e["after"], e["unit"]) for e in found] == [(5, 1, "个工作日")]


def test_counts_of_one_that_a_change_or_a_visit_reports():
    assert quantities("群众只需跑一趟。") == ["一趟"]
    assert quantities("审批科室由三个合并为一个。") == ["三个", "一个"]
    assert quantities("窗口整合到一个大厅里。") == []
    assert quantities("办事要经过4道手续。") == ["4道"]


def test_a_set_phrase_does_not_hide_the_number_beside_it():
    assert quantities("推行“一窗通办”，五个工作日即可办结。") == ["五个工作日"]


def test_a_multiple_restating_a_pair_is_the_same_effect():
    (found,) = effects("日均审核单证由3000份提高到9000份，是原来的3倍。")
    assert (found["before"], found["after"], found["text"][-5:]) == (3000, 9000, "原来的3倍")


def test_a_from_value_without_a_unit_borrows_the_after_unit():
    (found,) = effects("许可事项由26减至9项。")
    assert (found["before"], found["after"], found["unit"]) == (26, 9, "项")


def test_after_reform_written_out_answers_before_reform():
    found = effects("改革以前，开办企业需要6个环节；改革以后只需要2个环节。")
    assert [(e["before"], e["after"]) for e in found] == [(6, 2)]


def test_a_period_after_the_past_marker_makes_no_pair():
    assert effects("过去三年，片区累计新增企业2万家，现在每天新增企业30家。") == []


def test_spoken_weeks_keep_their_unit():
    (found,) = effects("以前要三四个星期，现在四五天。")
    assert (found["before"], found["before_unit"], found["after"], found["unit"]) == (
        3,
        "周",
        4,
        "天",
    )


def test_a_neutral_verb_with_only_the_new_value_is_no_effect():
    assert effects("年检频次由每年一次改为三年一次。") == []


def test_a_count_merged_by_a_measure_is_an_effect_whatever_its_noun():
    (found,) = effects("服务窗口数量由15个整合为4个。")
    assert (found["before"], found["after"]) == (15, 4)


def test_a_share_of_the_former_level_after_a_particle_and_le():
    (found,) = effects("等候时间压缩到了原来的五分之一。")
    assert found["change_pct"] == -80


def test_a_table_with_several_before_and_after_column_pairs():
    text = "事项\t原环节数\t现环节数\t原时限（天）\t现时限（天）\n企业设立\t6\t2\t5\t1\n"
    found = effects(text)
    assert [(e["before"], e["after"], e.get("unit")) for e in found] == [
        (6, 2, None),
        (5, 1, "天"),
    ]
    assert [q for q in quantities(text)] == ["5", "1"]  # counts with no unit are no quantity


def test_a_spoken_one_answering_a_past_count():
    (found,) = effects("以前签字要签十几个，现在就一个。")
    assert (found["before"], found["after"]) == (10, 1)


def test_about_a_month_spoken():
    (found,) = effects("过去批一个项目要一个来月，现在四五天。")
    assert (found["before"], found["before_unit"], found["after"]) == (1, "个月", 4)


@pytest.mark.parametrize(
    "text",
    [
        "以前片区只有4家外资银行，如今已有13家。",
        "原来计划投资6亿元，现在追加到9亿元。",
        "改革前企业数量为700家，改革后达到1600家。",
        "以往每年举办3场推介会，现在每年5场。",
    ],
)
def test_a_count_or_amount_that_grew_between_then_and_now_is_a_statistic(text):
    assert effects(text) == []


def test_a_capacity_that_grew_between_then_and_now_is_an_effect():
    (found,) = effects("以前每天能办结30件，现在能办结90件。")
    assert (found["before"], found["after"], found["direction"]) == (30, 90, "increase")


def test_an_object_between_the_verb_and_its_target():
    (found,) = effects("进一步压缩外资备案办理时限至2个工作日。")
    assert (found["after"], found["unit"], found.get("change_abs")) == (2, "个工作日", None)


def test_a_rate_after_the_object_stays_a_rate():
    (found,) = effects("审批事项缩减比例达到62.5%。")
    assert found["change_pct"] == -62.5


def test_a_table_run_together_is_no_saving():
    assert effects("危险货物合并申报 交通运输部 全国\n\n2 国际航行船舶") == []


def test_two_values_on_each_side_pair_in_order():
    found = effects("企业注销从“6个环节、20天”压缩为“2个环节、5天”。")
    assert [(e["before"], e["after"], e["unit"]) for e in found] == [(6, 2, "个"), (20, 5, "天")]


def test_in_a_double_pair_only_the_same_things_pair():
    found = effects("办理由3个部门和9份材料精简为1个窗口和4份材料。")
    assert [(e["before"], e["after"]) for e in found] == [(9, 4)]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("从前要跑6趟，现在跑1趟就行。", (6, 1)),
        ("过去每单要花300元，当前只需80元。", (300, 80)),
        ("原来平均要5个小时，系统上线后缩短到1个小时。", (5, 1)),
        ("原本需要4到6个工作日，现在1个工作日就能办完。", (4, 1)),
    ],
)
def test_more_ways_of_saying_then_and_now(text, pair):
    (found,) = effects(text)
    assert (found["before"], found["after"]) == pair


def test_a_place_name_is_no_past_marker():
    assert effects("企业从前海蛇口片区迁入4家，现在有9家。") == []


def test_what_can_be_produced_is_no_capacity():
    assert effects("每年可实现的产值翻了一番。") == []


def test_a_value_compared_with_and_the_level_reached():
    (found,) = effects("办证时间较改革前的半个月缩短至4天。")
    assert (found["before"], found["before_unit"], found["after"], found["unit"]) == (
        0.5,
        "个月",
        4,
        "天",
    )


def test_a_bare_ge_borrows_only_a_unit_that_begins_with_it():
    assert effects("过去要跑5个部门。现在全区有3家银行。") == []
    (found,) = effects("审批由3个工作日压缩到1个。")
    assert (found["before"], found["after"]) == (3, 1)
