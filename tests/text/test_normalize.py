"""The offset map: whatever normalisation does, spans point at the right original characters."""

from hypothesis import given, settings
from hypothesis import strategies as st

from zimao.text.extract import extract_text
from zimao.text.normalize import FOLD, normalize

ALPHABET = st.sampled_from(
    list("自贸试验区增长小时万亿元第批年月日。，、（）")
    + list("0123456789.%")
    + list("０１２３４５６７８９％．")
    + list("abcXYZ")
    + [" ", " ", "\n", "\n\n", "\r\n", "\f", "\u3000", "\t"]
)
documents = st.lists(ALPHABET, max_size=300).map("".join)
# The one-for-one repairs of OCR text (docs/extraction.md): a wide comma between digits, and
# circles or letters O read as zeros.
OCR_REPAIRS = {("，", ","), ("○", "〇"), ("◯", "〇"), ("O", "〇"), ("O", "0"), ("o", "0")}


def assert_view_maps_back(original: str, text: str, view_map) -> None:
    previous = -1
    for index, char in enumerate(text):
        position = view_map.position(index)
        assert position > previous, "the map must keep the original order"
        previous = position
        source = original[position].translate(FOLD)
        repaired = (source, char) in OCR_REPAIRS  # one character for one: 4，800 → 4,800
        assert char == source or repaired or (char in " \n" and source.isspace()), (
            index,
            char,
            source,
        )


@settings(max_examples=300, deadline=None)
@given(documents)
def test_every_normalised_character_maps_to_its_original(original):
    doc = normalize(original)
    for view in (doc.raw, doc.lines, doc.flow):
        assert_view_maps_back(original, view.text, view.map)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_every_fact_text_is_the_original_slice(original):
    for fact in extract_text(original):
        assert 0 <= fact.start < fact.end <= len(original)
        assert fact.text == original[fact.start : fact.end]


def test_pdf_spacing_and_broken_lines_are_undone_but_spans_stay_exact():
    original = "通关时间从 72 小时压缩到 37 小\n\n时，效率提升。"
    doc = normalize(original)
    assert "从72小时压缩到37小时" in doc.flow.text
    start = doc.flow.text.index("37")
    a, b = doc.flow.span(start, start + len("37小时"))
    assert original[a:b] == "37 小\n\n时"


def test_full_width_digits_and_letters_are_folded():
    doc = normalize("２０２０年增长１２．５％，ＦＤＩ")
    assert doc.flow.text == "2020年增长12.5%，FDI"


def test_sentence_ends_keep_a_line_break_and_words_keep_a_space():
    doc = normalize("第一句结束。\n\n第二句\n继续。Zimao\nAPI")
    assert doc.flow.text == "第一句结束。\n第二句继续。Zimao API"


def test_a_wide_comma_at_the_start_is_no_thousands_separator():
    """The digit before a comma is looked for before it, never at the end of the text."""
    doc = normalize("，123，5")
    assert doc.raw.text.startswith("，123")
