"""The corrected reference rows, and the loader checks that keep them correct."""

from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import edit_csv
from zimao.indicators.models import Observation
from zimao.reference.loader import ReferenceDataError, read_dataset
from zimao.zones.models import Area, Zone
from zimao.zones.selectors import official_area_tally

pytestmark = pytest.mark.django_db


def problems(directory: Path) -> list[str]:
    with pytest.raises(ReferenceDataError) as info:
        read_dataset(directory)
    return [str(p) for p in info.value.problems]


def test_hubeis_2017_figures_are_kept_but_not_preferred_with_the_reason():
    zone_rows = Observation.objects.filter(subject_kind="zone", subject="hubei", period="2017")
    assert zone_rows.count() == 2
    for row in zone_rows:
        assert not row.preferred
        assert "全省" in row.preferred_reason
    province = Observation.objects.get(
        indicator__code="fdi_actual", subject_kind="province", subject="湖北省"
    )
    assert (province.period, province.value, province.unit) == (
        "2017-01..09",
        Decimal("85.5"),
        "亿美元",
    )
    # the zone's figure for the whole year exceeds the whole province's first nine months
    assert zone_rows.get(indicator__code="fdi_actual").value > province.value


def test_the_12_percent_is_a_cumulative_share_since_2013():
    for code in ("trade_share_national", "fdi_share_national"):
        row = Observation.objects.get(indicator__code=code, value=12)
        assert row.period == "2013..2018"
        assert "cumulative" in row.flag_list
    assert not Observation.objects.filter(indicator__code="trade_share_national", period="2018")


def test_the_170_replicated_is_a_mid_2019_figure():
    row = Observation.objects.get(indicator__code="replicated_total", value=170)
    assert row.period == "2019-06"
    other = Observation.objects.get(indicator__code="replicated_total", value=153)
    assert not other.preferred and other.preferred_reason


def test_sichuans_pilot_area_figures_are_no_longer_the_provinces():
    assert not Observation.objects.filter(subject_kind="province", subject="sichuan").exists()
    rows = Observation.objects.filter(subject_kind="pilot_areas", subject="sichuan")
    assert rows.count() == 4
    assert all(r.zone and r.zone.code == "sichuan" for r in rows)


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [("shanghai", "120.72", "240.22"), ("zhejiang", "119.95", "239.45")],
)
def test_planned_areas_keep_both_values_with_periods_and_match_the_areas(code, before, after):
    zone = Zone.objects.get(code=code)
    history = Observation.objects.filter(indicator__code="planned_area", subject=code).order_by(
        "period"
    )
    values = [o.value for o in history]
    assert Decimal(before) in values and values[-1] == Decimal(after)
    assert all(o.source for o in history)
    assert zone.planned_area_km2 == Decimal(after)
    assert sum(a.area_km2 for a in zone.areas.all()) == Decimal(after)


def test_the_official_tally_of_67_areas_for_21_zones_reproduces():
    before_xinjiang = Zone.objects.exclude(code="xinjiang")
    assert before_xinjiang.count() == 21
    assert Area.objects.filter(zone__in=before_xinjiang).count() != 67  # rows are not the tally
    assert official_area_tally(before_xinjiang) == 67
    official = Observation.objects.get(indicator__code="area_count", period="2021-02")
    assert official.value == official_area_tally(before_xinjiang)
    assert official_area_tally() == 67 + Area.objects.filter(zone__code="xinjiang").count()


def test_the_loader_refuses_a_second_preferred_value(data_copy: Path):
    edit_csv(data_copy / "observations.csv", "2022,17.9,%,21,0,", "2022,17.9,%,21,1,")
    assert any("second preferred value" in p for p in problems(data_copy))


def test_the_loader_requires_a_reason_for_a_value_not_preferred(data_copy: Path):
    edit_csv(data_copy / "observations.csv", ",0,国新办发布会口径；采用新华社公布的 17.8%,", ",0,,")
    assert any("preferred_reason is required" in p for p in problems(data_copy))


def test_the_loader_checks_periods(data_copy: Path):
    edit_csv(data_copy / "observations.csv", ",2019-06,170,", ",mid-2019,170,")
    assert any("period: not a period" in p and "mid-2019" in p for p in problems(data_copy))


def test_the_loader_checks_subjects_and_area_sums(data_copy: Path):
    edit_csv(
        data_copy / "observations.csv", "pilot_areas,sichuan,2021,22", "province,sichuan,2021,22"
    )
    edit_csv(data_copy / "zones.csv", ",240.22,", ",120.72,")
    found = problems(data_copy)
    assert any("subject 'sichuan' is not a province" in p for p in found)
    assert any("differs from the sum of its areas 240.22" in p for p in found)
