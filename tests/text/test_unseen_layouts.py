"""Table cells with inherited units and OCR renderings (docs/extraction.md)."""

from zimao.text.extract import extract_text


def facts_of(text: str, kind: str) -> list:
    return [f for f in extract_text(text) if f.type == kind]


def cells(text: str) -> list[tuple[str, float, str, str | None, str | None]]:
    return [
        (f.text, f.fields["value"], f.fields["unit"], f.fields.get("row"), f.fields.get("column"))
        for f in facts_of(text, "quantity")
    ]


def test_a_unit_line_gives_amount_columns_its_amount_and_rate_columns_percent():
    text = "表1　某片区外贸指标\n单位：亿元、%\n指标\t1—9月\t同比\n出口\t45.3\t-3.1\n"
    assert cells(text) == [
        ("45.3", 45.3, "亿元", "出口", "1—9月"),
        ("-3.1", -3.1, "%", "出口", "同比"),
    ]
    assert [f.fields["unit_source"] for f in facts_of(text, "quantity")] == ["caption", "column"]


def test_a_header_unit_comes_before_the_rows_unit_column():
    text = "商品\t计量单位\t数量\t金额（万元）\n棉花\t吨\t820\t1,250\n"
    assert cells(text) == [
        ("820", 820, "吨", "棉花", "数量"),
        ("1,250", 1250, "万元", "棉花", "金额（万元）"),
    ]


def test_space_aligned_columns_scores_and_ranks():
    text = "排名    片区          得分      权重(%)\n1       甲片区        91.5      40\n"
    assert cells(text) == [
        ("91.5", 91.5, "分", "甲片区", "得分"),
        ("40", 40, "%", "甲片区", "权重(%)"),
    ]


def test_cells_without_a_unit_anywhere_are_not_quantities():
    assert cells("序号\t片区\t备注\n1\t甲片区\t3\n") == []


def test_a_before_and_after_table_gives_one_effect_per_row():
    text = "事项\t计量单位\t改革前\t改革后\n报关\t小时\t36\t6\n"
    effects = facts_of(text, "effect")
    assert [(e.fields["before"], e.fields["after"], e.fields["unit"]) for e in effects] == [
        (36, 6, "小时")
    ]
    assert effects[0].text == "36\t6"


def test_ocr_numbers_broken_by_spaces_lines_and_full_width_commas():
    text = (
        "今年全区新设外商投资企业共计1 320家，比上年多出\n"
        "了不少，其中制造业企业达到3\n5家，累计办理业务４，２００笔。\n"
    )
    assert [(f.text, f.fields["value"]) for f in facts_of(text, "quantity")] == [
        ("1 320家", 1320),
        ("3\n5家", 35),
        ("４，２００笔", 4200),
    ]


def test_a_page_footer_inside_a_sentence_is_skipped_and_spans_cover_it():
    text = "口岸查验时间由原来的\n— 7 —\n\n24小时压缩至6小时，成效明显。"
    (effect,) = facts_of(text, "effect")
    assert (effect.fields["before"], effect.fields["after"]) == (24, 6)
    assert effect.text.startswith("由原来的\n— 7 —")
    assert [q.text for q in facts_of(text, "quantity")] == ["24小时", "6小时"]


def test_traditional_characters_and_zero_look_alikes():
    found = facts_of("二○二六年吸引外資超過１２億美元，较2O24年翻一番。", "quantity")
    assert (found[0].text, found[0].fields["value"], found[0].fields["unit"]) == (
        "超過１２億美元",
        12,
        "亿美元",
    )
    dates = [f.fields["date"] for f in facts_of("二○二六年，2O24年，二O二五年十二月", "date")]
    assert dates == ["2026", "2024", "2025-12"]


def test_a_caption_laid_out_with_spaces_is_no_header():
    text = (
        "表 2    主要口岸通关情况    单位：小时、%\n"
        "口岸           进口通关时间     压缩比例\n"
        "甲口岸            12.5           41.2\n"
    )
    assert cells(text) == [
        ("12.5", 12.5, "小时", "甲口岸", "进口通关时间"),
        ("41.2", 41.2, "%", "甲口岸", "压缩比例"),
    ]
