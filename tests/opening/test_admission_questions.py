# ruff: noqa: E501  (one question per line reads as a table)
"""Hand-written admission questions against the reference lists, each with the verdict and the
measure (by topic) a reader of the list would give. Written before the check itself."""

from datetime import date
from decimal import Decimal

import pytest

from zimao.opening.admission import check_admission

pytestmark = pytest.mark.django_db

ELSEWHERE, FTZ, HAINAN = "elsewhere", "ftz", "hainan"
PRESENCE, CROSS = "commercial_presence", "cross_border"

# (activity, foreign share %, mode, place, day, verdict, edition, topics of the findings, met)
QUESTIONS = [
    ("小麦种子生产", 40, PRESENCE, ELSEWHERE, "2022-06-01", "restricted", "national-2021", {"seed-wheat-corn"}, True),
    ("小麦种子生产", 70, PRESENCE, ELSEWHERE, "2022-06-01", "restricted", "national-2021", {"seed-wheat-corn"}, False),
    ("玉米育种", 51, PRESENCE, ELSEWHERE, "2023-01-10", "restricted", "national-2021", {"seed-wheat-corn"}, False),
    ("玉米育种", 49, PRESENCE, ELSEWHERE, "2023-01-10", "restricted", "national-2021", {"seed-wheat-corn"}, True),
    ("稀土开采", 10, PRESENCE, ELSEWHERE, "2023-03-01", "prohibited", "national-2021", {"rare-earth-mining"}, None),
    ("稀土开采", 10, PRESENCE, FTZ, "2022-02-01", "prohibited", "ftz-2021", {"rare-earth-mining"}, None),
    ("出版物印刷", 60, PRESENCE, ELSEWHERE, "2022-05-01", "restricted", "national-2021", {"publication-printing"}, False),
    ("出版物印刷", 60, PRESENCE, ELSEWHERE, "2024-12-01", "allowed", "national-2024", set(), None),
    ("中药饮片炮制", 100, PRESENCE, ELSEWHERE, "2023-07-01", "prohibited", "national-2021", {"tcm-processing"}, None),
    ("核电站经营", 49, PRESENCE, FTZ, "2022-03-01", "restricted", "ftz-2021", {"nuclear-power"}, True),
    ("核电站经营", 50, PRESENCE, ELSEWHERE, "2023-03-01", "restricted", "national-2021", {"nuclear-power"}, False),
    ("增值电信业务", 50, PRESENCE, FTZ, "2023-03-01", "restricted", "ftz-2021", {"telecom"}, True),
    ("增值电信业务", 51, PRESENCE, FTZ, "2023-03-01", "restricted", "ftz-2021", {"telecom"}, False),
    ("增值电信业务", 51, PRESENCE, FTZ, "2021-06-01", "restricted", "ftz-2020", {"telecom"}, False),
    ("增值电信业务", 51, PRESENCE, ELSEWHERE, "2023-03-01", "restricted", "national-2021", {"telecom"}, False),
    ("烟草批发", 20, PRESENCE, ELSEWHERE, "2022-02-01", "prohibited", "national-2021", {"tobacco-trade"}, None),
    ("国内水上运输", 30, PRESENCE, ELSEWHERE, "2023-05-01", "restricted", "national-2021", {"domestic-shipping"}, True),
    ("开办律师事务所", 100, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"legal-services"}, None),
    ("社会调查", 30, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"social-survey"}, None),
    ("调查", 30, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"social-survey", "market-survey"}, None),
    ("干细胞技术开发", 100, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"stem-cell-gene"}, None),
    ("人文社会科学研究机构", 100, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"social-science-research"}, None),
    ("转基因种子", 10, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"gm-seeds"}, None),
    ("水产品捕捞", 10, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"fishing"}, None),
    ("稀土开采", 10, PRESENCE, FTZ, "2013-09-29", "no_list", None, set(), None),
    ("稀土开采", 10, PRESENCE, ELSEWHERE, "2010-01-01", "no_list", None, set(), None),
    ("稀土开采", 10, PRESENCE, HAINAN, "2021-06-01", "undetermined", "hainan_ftp-2020", set(), None),
    ("稀土开采", 10, PRESENCE, HAINAN, "2019-06-01", "undetermined", "ftz-2018", set(), None),
    ("法律咨询", 100, CROSS, ELSEWHERE, "2023-01-01", "no_list", None, set(), None),
    ("法律咨询", 100, CROSS, ELSEWHERE, "2024-06-01", "undetermined", "cbs-national-2024", set(), None),
    ("法律咨询", 100, CROSS, HAINAN, "2021-08-15", "no_list", None, set(), None),
    ("稀土开采", 10, PRESENCE, FTZ, "2014-12-01", "undetermined", None, set(), None),
    ("稀土开采", 10, PRESENCE, ELSEWHERE, "2018-09-01", "undetermined", None, set(), None),
    ("稀土开采", 10, PRESENCE, FTZ, "2016-01-01", "undetermined", "ftz-2015", set(), None),
    ("稀土开采", 10, PRESENCE, ELSEWHERE, "2019-08-01", "undetermined", "national-2019", set(), None),
    ("B", 10, PRESENCE, ELSEWHERE, "2023-05-01", "prohibited", "national-2021", {"rare-earth-mining"}, None),
    # the whole FTZ 2020 and 2021 lists and the national 2021 and 2024 lists
    ("汽车整车制造", 60, PRESENCE, FTZ, "2021-06-01", "restricted", "ftz-2020", {"vehicle-manufacturing"}, False),
    ("汽车整车制造", 50, PRESENCE, FTZ, "2021-06-01", "restricted", "ftz-2020", {"vehicle-manufacturing"}, True),
    ("汽车整车制造", 100, PRESENCE, FTZ, "2022-03-01", "allowed", "ftz-2021", set(), None),
    ("汽车整车制造", 100, PRESENCE, ELSEWHERE, "2025-01-01", "allowed", "national-2024", set(), None),
    ("卫星电视广播地面接收设施生产", 100, PRESENCE, FTZ, "2021-06-01", "restricted", "ftz-2020", {"satellite-tv-equipment"}, None),
    ("卫星电视广播地面接收设施生产", 100, PRESENCE, FTZ, "2022-03-01", "allowed", "ftz-2021", set(), None),
    ("社会调查", 30, PRESENCE, FTZ, "2021-06-01", "prohibited", "ftz-2020", {"social-survey"}, None),
    ("社会调查", 30, PRESENCE, FTZ, "2022-06-01", "restricted", "ftz-2021", {"social-survey"}, True),
    ("社会调查", 40, PRESENCE, FTZ, "2022-06-01", "restricted", "ftz-2021", {"social-survey"}, False),
    ("市场调查", 100, PRESENCE, FTZ, "2022-06-01", "allowed", "ftz-2021", set(), None),
    ("收视调查", 60, PRESENCE, FTZ, "2022-06-01", "restricted", "ftz-2021", {"market-survey"}, False),
    ("中药饮片炮制", 100, PRESENCE, FTZ, "2021-06-01", "allowed", "ftz-2020", set(), None),
    ("中药饮片炮制", 100, PRESENCE, ELSEWHERE, "2024-12-01", "allowed", "national-2024", set(), None),
    ("出版物印刷", 60, PRESENCE, FTZ, "2021-06-01", "allowed", "ftz-2020", set(), None),
    ("水产品捕捞", 10, PRESENCE, FTZ, "2022-06-01", "allowed", "ftz-2021", set(), None),
    ("文艺表演团体", 40, PRESENCE, FTZ, "2022-06-01", "restricted", "ftz-2021", {"performing-arts"}, True),
    ("文艺表演团体", 40, PRESENCE, ELSEWHERE, "2022-06-01", "prohibited", "national-2021", {"performing-arts"}, None),
    ("玉米育种", 60, PRESENCE, FTZ, "2022-06-01", "restricted", "ftz-2021", {"seed-wheat-corn"}, True),
    ("玉米育种", 60, PRESENCE, ELSEWHERE, "2025-01-01", "restricted", "national-2024", {"seed-wheat-corn"}, False),
    ("医疗机构", 70, PRESENCE, ELSEWHERE, "2025-03-01", "restricted", "national-2024", {"medical-institutions"}, None),
    ("义务教育机构", 10, PRESENCE, FTZ, "2022-06-01", "prohibited", "ftz-2021", {"compulsory-education"}, None),
    ("电影制作", 20, PRESENCE, ELSEWHERE, "2025-01-01", "prohibited", "national-2024", {"film"}, None),
    ("公共航空运输", 40, PRESENCE, ELSEWHERE, "2025-01-01", "restricted", "national-2024", {"air-transport"}, True),
    ("互联网新闻信息服务", 10, PRESENCE, FTZ, "2022-06-01", "prohibited", "ftz-2021", {"internet-content"}, None),
    ("核电站经营", 49, PRESENCE, ELSEWHERE, "2025-01-01", "restricted", "national-2024", {"nuclear-power"}, True),
    ("稀土开采", 10, PRESENCE, FTZ, "2021-06-01", "prohibited", "ftz-2020", {"rare-earth-mining"}, None),
    ("导航电子地图编制", 100, PRESENCE, FTZ, "2022-06-01", "prohibited", "ftz-2021", {"geo-surveying"}, None),
    # the national 2020 list, in force beside the FTZ 2020 list
    ("汽车整车制造", 60, PRESENCE, ELSEWHERE, "2021-06-01", "restricted", "national-2020", {"vehicle-manufacturing"}, False),
    ("中药饮片炮制", 100, PRESENCE, ELSEWHERE, "2021-06-01", "prohibited", "national-2020", {"tcm-processing"}, None),
    ("水产品捕捞", 10, PRESENCE, ELSEWHERE, "2021-06-01", "prohibited", "national-2020", {"fishing"}, None),
    # cross-border supply (跨境交付、境外消费、自然人移动): the cross-border services lists, loaded in
    # part; a question none of their loaded measures answers is 无法判定, naming the edition
    ("拍卖师执业", None, CROSS, ELSEWHERE, "2024-06-01", "restricted", "cbs-national-2024", {"cbs-auctioneer-exam"}, None),
    ("拍卖师执业", None, CROSS, FTZ, "2024-06-01", "undetermined", "cbs-ftz-2024", set(), None),
    ("报关", None, CROSS, ELSEWHERE, "2024-05-01", "prohibited", "cbs-national-2024", {"cbs-customs-declaration"}, None),
    ("报关", None, CROSS, FTZ, "2024-05-01", "undetermined", "cbs-ftz-2024", set(), None),
    ("报关", None, CROSS, HAINAN, "2022-01-01", "undetermined", "cbs-hainan_ftp-2021", set(), None),
    ("报关", None, CROSS, ELSEWHERE, "2024-04-20", "no_list", None, set(), None),
    ("执业兽医", None, CROSS, ELSEWHERE, "2025-01-01", "restricted", "cbs-national-2024", {"cbs-veterinarian-exam"}, None),
    ("船舶检验", None, CROSS, ELSEWHERE, "2024-05-01", "restricted", "cbs-national-2024", {"cbs-ship-inspection"}, None),
    ("船舶检验", None, CROSS, FTZ, "2024-05-01", "restricted", "cbs-ftz-2024", {"cbs-ship-inspection"}, None),
    ("船舶检验", None, CROSS, HAINAN, "2022-01-01", "undetermined", "cbs-hainan_ftp-2021", set(), None),
    ("烟草批发", None, CROSS, HAINAN, "2022-03-01", "prohibited", "cbs-hainan_ftp-2021", {"cbs-tobacco"}, None),
    ("烟草批发", None, CROSS, ELSEWHERE, "2024-05-01", "prohibited", "cbs-national-2024", {"cbs-tobacco"}, None),
    ("渔业资源调查", None, CROSS, HAINAN, "2021-09-01", "restricted", "cbs-hainan_ftp-2021", {"cbs-fishery-survey"}, None),
    ("渔业资源调查", None, CROSS, FTZ, "2024-12-01", "restricted", "cbs-ftz-2024", {"cbs-fishery-survey"}, None),
    ("建筑工程", None, CROSS, ELSEWHERE, "2024-05-01", "prohibited", "cbs-national-2024", {"cbs-construction"}, None),
    ("国内水路运输", None, CROSS, HAINAN, "2022-01-01", "prohibited", "cbs-hainan_ftp-2021", {"cbs-domestic-water-transport"}, None),
    ("兽药销售", None, CROSS, FTZ, "2024-06-01", "restricted", "cbs-ftz-2024", {"cbs-vet-drug-sales"}, None),
    ("法律咨询", None, CROSS, HAINAN, "2021-09-01", "undetermined", "cbs-hainan_ftp-2021", set(), None),
    ("报关", 100, PRESENCE, ELSEWHERE, "2024-05-01", "allowed", "national-2021", set(), None),
    # the Hainan FTP foreign-investment list 2020, loaded in part: what it opened beyond the FTZ list
    ("社会调查", 30, PRESENCE, HAINAN, "2021-06-01", "restricted", "hainan_ftp-2020", {"social-survey"}, True),
    ("社会调查", 40, PRESENCE, HAINAN, "2021-06-01", "restricted", "hainan_ftp-2020", {"social-survey"}, False),
    ("增值电信业务", 60, PRESENCE, HAINAN, "2021-06-01", "restricted", "hainan_ftp-2020", {"telecom"}, False),
    ("汽车整车制造", 100, PRESENCE, HAINAN, "2021-06-01", "undetermined", "hainan_ftp-2020", set(), None),
]  # fmt: skip

CROSS_BORDER = [q for q in QUESTIONS if q[2] == CROSS]


# Questions no loaded list answers yet: they must answer 无法判定 (or 当日无清单) and name the
# edition whose measures are missing (None where the day itself is unsure).
UNANSWERED = [q for q in QUESTIONS if q[5] in {"undetermined", "no_list"}]


def test_there_are_at_least_thirty_questions():
    assert len(QUESTIONS) >= 30
    assert len(QUESTIONS) - len(UNANSWERED) >= 30


def _ident(q: tuple) -> str:
    return f"{q[0]}-{q[1]}-{q[3]}-{q[4]}"


@pytest.mark.parametrize(
    ("activity", "share", "mode", "place", "day", "verdict", "edition", "topics", "met"),
    QUESTIONS,
    ids=[_ident(q) for q in QUESTIONS],
)
def test_question(activity, share, mode, place, day, verdict, edition, topics, met):
    answer = check_admission(
        activity=activity,
        foreign_share=None if share is None else Decimal(share),
        mode=mode,
        place=place,
        day=date.fromisoformat(day),
    )
    assert answer.verdict == verdict, answer.explanation
    assert (answer.edition.code if answer.edition else None) == edition
    assert {f.measure.topic for f in answer.findings} == topics
    if met is not None:
        assert all(f.condition_met is met for f in answer.findings)
    assert answer.explanation
    if verdict == "undetermined":  # names the edition whose measures (or start day) are missing
        assert "《" in answer.explanation and "》" in answer.explanation
        if answer.edition:
            assert f"《{answer.edition.title}》" in answer.explanation
            assert "无法判定" in answer.explanation


def test_two_candidates_are_both_named_when_the_activity_is_ambiguous():
    answer = check_admission(
        activity="调查", foreign_share=Decimal(30), mode=PRESENCE, place=ELSEWHERE,
        day=date(2023, 5, 1),
    )  # fmt: skip
    assert answer.ambiguous
    assert "市场调查" in answer.explanation and "社会调查" in answer.explanation


def test_an_unknown_activity_gets_suggestions():
    answer = check_admission(
        activity="市场营销调研", foreign_share=Decimal(30), mode=PRESENCE, place=ELSEWHERE,
        day=date(2023, 5, 1),
    )  # fmt: skip
    assert answer.verdict == "unknown_activity"
    assert "市场调查" in answer.suggestions


def test_a_share_left_out_names_the_condition_without_judging_it():
    answer = check_admission(
        activity="核电站经营", foreign_share=None, mode=PRESENCE, place=ELSEWHERE,
        day=date(2023, 5, 1),
    )  # fmt: skip
    assert answer.verdict == "restricted"
    assert [f.condition_met for f in answer.findings] == [None]
    assert "中方控股" in answer.explanation


def test_an_industry_code_lists_every_measure_of_its_section_as_a_candidate():
    answer = check_admission(
        activity="L", foreign_share=Decimal(30), mode=PRESENCE, place=ELSEWHERE,
        day=date(2023, 5, 1),
    )  # fmt: skip
    assert answer.ambiguous
    assert {f.measure.topic for f in answer.findings} == {
        "legal-services", "market-survey", "social-survey",
    }  # fmt: skip
    assert "按行业门类“租赁和商务服务业”匹配" in answer.explanation
    division = check_admission(
        activity="72", foreign_share=Decimal(30), mode=PRESENCE, place=ELSEWHERE,
        day=date(2023, 5, 1),
    )  # fmt: skip
    assert {f.measure.topic for f in division.findings} == {
        f.measure.topic for f in answer.findings
    }


def test_the_wheat_question_names_the_wheat_part_and_shares_print_plainly():
    answer = check_admission(
        activity="小麦种子生产", foreign_share=Decimal("70.00"), mode=PRESENCE,
        place=ELSEWHERE, day=date(2022, 6, 1),
    )  # fmt: skip
    assert [f.measure.part for f in answer.findings] == ["a"]
    assert "外资股比不超过66%" in answer.explanation
    assert "拟议外资股比 70% 不符合该条件" in answer.explanation


def test_the_answer_says_how_sure_each_measure_text_is():
    derived = check_admission(
        activity="医疗机构", foreign_share=Decimal(70), mode=PRESENCE, place=ELSEWHERE,
        day=date(2025, 3, 1),
    )  # fmt: skip
    assert derived.findings[0].measure.confidence == "D"
    assert "推定" in derived.explanation
    single = check_admission(
        activity="核电站经营", foreign_share=Decimal(49), mode=PRESENCE, place=ELSEWHERE,
        day=date(2023, 3, 1),
    )  # fmt: skip
    assert single.findings[0].measure.confidence == "V"
    assert "仅有一个来源" in single.explanation and "推定" not in single.explanation


def test_there_are_at_least_ten_cross_border_questions_answered_from_the_lists():
    answered = [q for q in CROSS_BORDER if q[5] in {"allowed", "restricted", "prohibited"}]
    assert len(CROSS_BORDER) >= 10 and len(answered) >= 10


def test_a_cross_border_answer_names_the_list_and_the_item():
    answer = check_admission(
        activity="报关", foreign_share=None, mode=CROSS, place=ELSEWHERE, day=date(2024, 5, 1),
    )  # fmt: skip
    assert "《跨境服务贸易特别管理措施（负面清单）（2024年版）》" in answer.explanation
    assert "第46条" in answer.explanation
    assert "仅有一个来源" in answer.explanation  # the item's text is quoted by one source only
    exam = check_admission(
        activity="执业兽医", foreign_share=None, mode=CROSS, place=ELSEWHERE, day=date(2025, 1, 1),
    )  # fmt: skip
    assert "国籍或居所要求" in exam.explanation and "高管" not in exam.explanation


def test_an_unknown_cross_border_activity_on_a_partial_list_is_undetermined():
    answer = check_admission(
        activity="远程医疗会诊", foreign_share=None, mode=CROSS, place=FTZ, day=date(2024, 6, 1),
    )  # fmt: skip
    assert answer.verdict == "undetermined"
    assert (
        "《自由贸易试验区跨境服务贸易特别管理措施（负面清单）（2024年版）》" in answer.explanation
    )
