"""The timeline on the lists as loaded: which measures the FTZ list opened first (试点在前)."""

import pytest
from django.test import Client

from zimao.opening.diff import timeline

pytestmark = pytest.mark.django_db


def test_the_ftz_list_opened_herbal_pieces_and_printing_before_the_national_list():
    columns, rows = timeline()
    codes = [e.code for e in columns]
    assert codes.index("ftz-2020") < codes.index("ftz-2021") < codes.index("national-2024")
    by_topic = {r.topic: r for r in rows}
    first = {t for t, r in by_topic.items() if r.pilot_first}
    # opened in an FTZ list while the national list of the day still held them
    assert {"tcm-processing", "publication-printing", "fishing", "performing-arts",
            "social-survey", "market-survey", "seed-wheat-corn"} <= first  # fmt: skip
    # the car and satellite-TV items went from both lists on the same day
    assert not {"vehicle-manufacturing", "satellite-tv-equipment", "nuclear-power"} & first
    herbal = dict(zip(codes, by_topic["tcm-processing"].cells, strict=True))
    assert herbal["ftz-2020"] == "—" and herbal["national-2021"] == "1"
    assert herbal["national-2024"] == "—"  # the national list followed in 2024


def test_the_timeline_page_marks_them():
    page = Client().get("/opening/timeline/").content.decode()
    assert page.count("试点在前") >= 8  # the legend and at least seven measures
    assert "中药饮片" in page
