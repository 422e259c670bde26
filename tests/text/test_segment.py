"""Segmentation keeps policy terms and place names whole; search mode also yields their parts."""

from zimao.text.segment import cut, cut_for_search, load_dictionary


def test_reform_terms_and_places_stay_whole():
    words = cut("临港新片区推行国际贸易单一窗口和证照分离改革，落实负面清单管理。")
    for term in ["临港新片区", "国际贸易单一窗口", "证照分离", "负面清单"]:
        assert term in words


def test_the_dictionary_comes_from_the_reference_data():
    terms = load_dictionary()
    assert "前海蛇口片区" in terms and "新疆自贸试验区" in terms


def test_search_mode_also_yields_the_parts_of_a_term():
    words = cut_for_search("负面清单")
    assert "负面清单" in words and "清单" in words
