"""The restrictiveness index on the lists as loaded: FTZ and national editions side by side,
every score traceable to its measures."""

from decimal import Decimal

import pytest
from django.test import Client

from zimao.opening.index import edition_index, openness_series
from zimao.opening.models import Edition

pytestmark = pytest.mark.django_db


def _series() -> tuple[list[int], dict[str, dict[int, float]]]:
    chart = openness_series()
    years = chart["years"]
    by_name = {
        s["name"]: {y: v for y, v in zip(years, s["data"], strict=True) if v is not None}
        for s in chart["series"]
    }
    return years, by_name


def test_the_chart_sets_ftz_and_national_editions_side_by_side():
    years, series = _series()
    assert {2020, 2021, 2024} <= set(years)
    ftz, national = series["自贸试验区版"], series["全国版"]  # complete: no “下限” in the names
    for year in (2020, 2021):
        assert ftz[year] < national[year], year  # the FTZ list is the more open one
    assert ftz[2021] < ftz[2020]
    assert national[2024] < national[2021]
    # rule 1 caps a section at 1: the herbal-pieces ban keeps manufacturing closed in 2021,
    # so dropping the car and satellite-TV items that year does not move the national index
    assert national[2021] == national[2020]


def test_every_score_is_explained_by_its_measures():
    ftz = edition_index(Edition.objects.get(code="ftz-2021"))
    assert not ftz.lower_bound
    sections = {s.sector.code: s for s in ftz.sectors}
    business = sections["L"]
    assert {m.topic for m, _score, _reasons in business.measures} == {
        "legal-services", "market-survey", "social-survey",
    }  # fmt: skip
    reasons = {m.topic: (score, r) for m, score, r in business.measures}
    assert reasons["social-survey"][0] == Decimal("0.6")
    assert "外资股比上限 33% → 0.5" in reasons["social-survey"][1]
    assert sections["C"].score == 0 and not sections["C"].measures
    national = {
        s.sector.code: s for s in edition_index(Edition.objects.get(code="national-2021")).sectors
    }
    assert national["C"].score == 1
    total = sum((s.score for s in ftz.sectors), Decimal("0")) / len(ftz.sectors)
    assert ftz.value == total.quantize(Decimal("0.001"))


def test_the_list_page_tables_the_chart_and_links_each_score_to_its_edition():
    page = Client().get("/opening/").content.decode()
    assert 'id="chart-openness"' in page and 'id="openness-table"' in page
    assert "/opening/editions/ftz-2021/#index-sectors" in page
    assert "/opening/editions/national-2024/#index-sectors" in page
    data = Client().get("/api/opening/index/ftz-2020").json()
    assert data["lower_bound"] is False


def test_the_published_scores_match_the_rule():
    """docs/opening-index.md tables each loaded edition's index: it must match the code."""
    import re
    from pathlib import Path

    from django.conf import settings

    doc = (Path(settings.PROJECT_DIR) / "docs" / "opening-index.md").read_text(encoding="utf-8")
    names = {"FTZ": "ftz", "national": "national"}
    rows = re.findall(r"^\| (FTZ|national) (\d{4}) \| ([\d.]+) \|", doc, flags=re.M)
    assert len(rows) == 5
    for scope, year, value in rows:
        edition = Edition.objects.get(code=f"{names[scope]}-{year}")
        assert edition_index(edition).value == Decimal(value), edition.code
