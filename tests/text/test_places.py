"""Area names in the word orders texts use, and bare place names that point at a zone."""

import pytest

from zimao.text.extract import extract_text
from zimao.text.gazetteer import load_gazetteer
from zimao.text.places import place_mentions


@pytest.mark.parametrize(
    "name",
    ["成都天府新区片区", "天府新区成都片区", "天府新区片区", "四川自贸试验区天府新区成都片区"],
)
def test_area_name_variants_resolve_to_the_one_area(name):
    gazetteer = load_gazetteer()
    match = gazetteer.pattern.fullmatch(name)
    assert match is not None
    stem = match.group("z1") or match.group("z2")
    place = gazetteer.resolve(stem, match.group("area") or match.group("area_only"))
    assert (place.zone, place.area) == ("sichuan", "成都天府新区片区")


def test_the_city_after_the_name_is_also_recognised_for_other_areas():
    gazetteer = load_gazetteer()
    assert gazetteer.areas_by_alias["青白江铁路港成都片区"].area == "成都青白江铁路港片区"
    # A short city-less remainder is too vague to stand for an area.
    assert "机场片区" not in gazetteer.areas_by_alias


def test_an_inverted_area_name_is_extracted_as_a_zone_fact():
    facts = extract_text("眉山市与天府新区成都片区联合申报国家级示范区。")
    zones = [f.fields for f in facts if f.type == "zone"]
    assert {"zone": "sichuan", "area": "成都天府新区片区"} in zones


def test_bare_names_point_at_their_zone_with_their_kind():
    text = "四川省宜宾协同改革先行区与泸州港合作，山东自贸试验区烟台片区派员考察。"
    found = [(m.zone, m.kind, text[m.start : m.end]) for m in place_mentions(text)]
    assert ("sichuan", "province", "四川省") in found
    assert ("sichuan", "pilot_area", "宜宾协同改革先行区") in found
    assert ("sichuan", "city", "泸州") in found
    assert ("shandong", "zone", "山东自贸试验区烟台片区") in found
    # 烟台 inside the FTZ name is not counted a second time as a city.
    assert not any(kind == "city" and zone == "shandong" for zone, kind, _ in found)
