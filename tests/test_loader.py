"""The reference dataset loads completely and idempotently, or not at all."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import edit_csv
from zimao.indicators.models import NegativeList, Observation
from zimao.reference.loader import (
    DATA_DIR,
    TABLES,
    ReferenceDataError,
    load_reference,
    read_dataset,
)
from zimao.reference.models import ReferenceLoad
from zimao.replication.models import BatchCount, ReplicationBatch, ReplicationItem
from zimao.zones.models import Area, PilotArea, Zone

pytestmark = pytest.mark.django_db


def problems_for(directory: Path) -> list[str]:
    with pytest.raises(ReferenceDataError) as info:
        read_dataset(directory)
    return [str(p) for p in info.value.problems]


def test_every_row_of_every_file_names_a_source():
    for table in TABLES:
        with (DATA_DIR / table.file).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, f"{table.file} is empty"
        for line, row in enumerate(rows, start=2):
            assert row["source"].strip(), f"{table.file}:{line} has no source"


def test_the_registry_has_all_22_zones_in_seven_batches():
    assert Zone.objects.count() == 22
    assert set(Zone.objects.values_list("batch", flat=True)) == set(range(1, 8))
    assert Zone.objects.get(code="shanghai").batch == 1
    assert Zone.objects.get(code="xinjiang").batch == 7
    assert not Zone.objects.get(code="hainan").areas.exists()


def test_areas_and_pilot_areas_belong_to_their_zones():
    assert Area.objects.filter(zone__code="guangdong").count() == 3
    assert Area.objects.filter(is_special=True, zone__code="shanghai").exists()
    assert PilotArea.objects.filter(zone__code="sichuan", kind="coordinated_reform").count() == 8


def test_the_2019_items_add_up_to_66_by_domain_and_batch():
    items = ReplicationItem.objects.filter(batch__year=2019)
    assert items.count() == 66
    by_domain = {
        code: items.filter(domain__code=code).count()
        for code in ["investment", "trade", "finance", "supervision", "tax", "mobility"]
    }
    assert by_domain == {
        "investment": 19,
        "trade": 7,
        "finance": 7,
        "supervision": 15,
        "tax": 6,
        "mobility": 12,
    }
    assert items.filter(batch__code="sc-5").count() == 18
    assert items.filter(batch__code="ministry-2019").count() == 17
    assert items.filter(batch__code="bp-3").count() == 31


def test_conflicting_counts_are_kept_side_by_side():
    for batch in ReplicationBatch.objects.exclude(item_count=None):
        preferred = BatchCount.objects.filter(batch=batch, preferred=True)
        assert preferred.count() <= 1
        if preferred:
            assert preferred.get().item_count == batch.item_count


def test_negative_lists_shrink_over_the_years():
    ftz = list(
        NegativeList.objects.filter(scope="ftz", year__gte=2015)
        .exclude(measures=None)
        .order_by("year")
        .values_list("measures", flat=True)
    )
    assert len(ftz) >= 5
    assert ftz == sorted(ftz, reverse=True)


def test_reloading_creates_no_duplicates():
    before = (Zone.objects.count(), Area.objects.count(), Observation.objects.count())
    report = load_reference(force=True)
    assert report.created == 0
    assert report.updated > 0
    assert (Zone.objects.count(), Area.objects.count(), Observation.objects.count()) == before


def test_an_unchanged_dataset_is_not_loaded_again():
    load_reference(force=True)
    loads = ReferenceLoad.objects.count()
    report = load_reference()
    assert report.skipped is True
    assert ReferenceLoad.objects.count() == loads


def test_a_missing_column_is_reported_with_file_and_line(data_copy: Path):
    edit_csv(data_copy / "zones.csv", "short_name_zh,", "")
    problems = problems_for(data_copy)
    assert any(p.startswith("zones.csv:1: missing columns: short_name_zh") for p in problems)


def test_a_duplicate_key_is_reported(data_copy: Path):
    path = data_copy / "domains.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    problems = problems_for(data_copy)
    assert any(f"domains.csv:{len(lines) + 1}: duplicate key" in p for p in problems)


def test_an_unknown_zone_reference_is_reported(data_copy: Path):
    edit_csv(data_copy / "areas.csv", "\nguangdong,", "\nguangdongg,")
    problems = problems_for(data_copy)
    assert any("areas.csv:" in p and "'guangdongg' not found in zones.csv" in p for p in problems)


def test_bad_numbers_dates_and_missing_sources_are_all_reported(data_copy: Path):
    rows = (data_copy / "zones.csv").read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([rows[0]]))
    cells = next(csv.reader([rows[1]]))
    cells[header.index("planned_area_km2")] = "about 120"
    cells[header.index("approval_date")] = "2013/08/22"
    cells[header.index("source")] = ""
    cells[header.index("confidence")] = "M"
    broken = ",".join(f'"{c}"' for c in cells)
    (data_copy / "zones.csv").write_text("\n".join([rows[0], broken, *rows[2:]]) + "\n", "utf-8")
    problems = [p for p in problems_for(data_copy) if p.startswith("zones.csv:2:")]
    assert len(problems) == 4
    assert any("planned_area_km2: not a number" in p for p in problems)
    assert any("approval_date: not an ISO date" in p for p in problems)
    assert any("source is required" in p for p in problems)
    assert any("confidence: 'M' is not one of V, D" in p for p in problems)


def test_a_file_in_another_encoding_is_rejected(data_copy: Path):
    path = data_copy / "domains.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    assert any(p.startswith("domains.csv: not valid UTF-8") for p in problems_for(data_copy))


def test_a_broken_dataset_changes_nothing(data_copy: Path):
    edit_csv(data_copy / "zones.csv", "中国（上海）自由贸易试验区", "改过的名称")
    edit_csv(data_copy / "observations.csv", "\n", "\nnot,a,valid,row\n")
    with pytest.raises(ReferenceDataError):
        load_reference(data_copy, force=True)
    assert Zone.objects.get(code="shanghai").name_zh == "中国（上海）自由贸易试验区"


def test_the_command_lists_problems_and_fails(data_copy: Path, capsys):
    (data_copy / "plans.csv").unlink()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_reference", "--dir", str(data_copy), "--force")
    assert "plans.csv: file is missing" in capsys.readouterr().err


def test_the_command_checks_without_writing(capsys):
    loads = ReferenceLoad.objects.count()
    call_command("load_reference", "--check")
    assert "reference data is valid" in capsys.readouterr().out
    assert ReferenceLoad.objects.count() == loads
