"""Spoken numbers and the effect statements of docs/extraction.md."""

import pytest

from zimao.text.extract import extract_text


def quantities(text: str) -> list[tuple]:
    return [
        (f.text, f.fields["value"], f.fields["value_max"], f.fields["unit"], f.fields["approx"])
        for f in extract_text(text)
        if f.type == "quantity"
    ]


def effects(text: str) -> list[dict]:
    return [f.fields | {"text": f.text} for f in extract_text(text) if f.type == "effect"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年服务两千多家企业。", ("两千多家", 2000, None, "家", "多")),
        ("先后推出一百来项措施。", ("一百来项", 100, None, "项", "来")),
        ("新建七八个服务站。", ("七八个", 7, 8, "个", None)),
        ("吸引了好几百家企业。", ("好几百家", 100, None, "家", "好几")),
        ("惠及数十万人。", ("数十万人", 100000, None, "人", "数")),
        ("引进二三十家机构。", ("二三十家", 20, 30, "家", None)),
        ("争取三五年见效。", ("三五年", 3, 5, "年", None)),
        ("整个流程要三个多月。", ("三个多月", 3, None, "个月", "多")),
        ("排队要两个半小时。", ("两个半小时", 2.5, None, "小时", None)),
    ],
)
def test_spoken_numbers_are_read_as_a_listener_would(text, expected):
    assert quantities(text) == [expected]


def test_rhetorical_pairs_are_no_quantities():
    assert quantities("服务走进成千上万家企业，做到千家万户都知晓。") == []


def test_a_before_value_in_an_earlier_clause_pairs_with_the_same_thing_now():
    found = effects("以前办一张许可证要跑6个窗口、等20天，现在1个窗口、2天就能拿到。")
    assert [(e["before"], e["after"], e["unit"]) for e in found] == [(6, 1, "个"), (20, 2, "天")]


def test_each_side_keeps_its_own_unit():
    (effect,) = effects("审批时间由原来的约半年缩短为三周左右。")
    assert (effect["before"], effect["before_unit"], effect["after"], effect["unit"]) == (
        0.5,
        "年",
        3,
        "周",
    )
    assert effect["change_pct"] == pytest.approx((21 - 182.5) / 182.5 * 100, abs=0.01)


def test_a_range_before_value_keeps_its_upper_end():
    (effect,) = effects("开办时间由过去的4至6个工作日压缩至1个工作日。")
    assert (effect["before"], effect["before_max"], effect["after"]) == (4, 6, 1)
    assert effect["change_pct"] == -75


def test_multiples_and_shares_of_the_state_before_the_reform():
    found = effects("查验效率是改革前的3倍多，等待时间仅为改革前的四分之一。")
    assert [(e["change_pct"], e["direction"]) for e in found] == [
        (200, "increase"),
        (-75, "decrease"),
    ]


def test_a_pair_whose_units_cannot_be_one_quantity_is_no_effect():
    assert effects("审批由过去的5个部门把关减为1个专班负责。") == []
    assert [e["before"] for e in effects("窗口由8个精简至3个。")] == [8]


def test_a_from_value_right_before_the_change_verb():
    (effect,) = effects("审批时间45个工作日压缩到15个工作日。")
    assert (effect["before"], effect["after"], effect["change_pct"]) == (45, 15, -66.67)


def test_halving_and_half_of_a_group():
    assert [e["change_pct"] for e in effects("查验费用减半。")] == [-50]
    assert quantities("约半数企业表示满意。") == [("约半数", 50, None, "%", "约")]


def test_year_on_year_growth_without_a_process_is_no_effect():
    assert effects("退税额同比增长27%。") == []
    assert [e["change_abs"] for e in effects("整体通关时间为17小时，同比减少7.5小时。")] == [7.5]


def test_doubling_with_a_particle():
    assert [e["change_pct"] for e in effects("查验能力翻了一番。")] == [100]
