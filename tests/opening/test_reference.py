"""The opening lists in the reference data reproduce the published totals."""

import pytest

from tests.conftest import edit_csv
from zimao.opening.reference import measure_counts
from zimao.reference.loader import ReferenceDataError, read_dataset


@pytest.fixture(scope="module")
def data():
    return read_dataset()


def test_every_loaded_edition_holds_its_published_number_of_measures(data):
    counts = measure_counts(data)
    negative = {r["code"]: r["measures"] for r in data["negative_lists.csv"]}
    for row in data["opening_editions.csv"]:
        loaded = counts.get(row["code"], 0)
        if row["status"] == "complete":
            assert loaded == row["measures"], row["code"]
        elif row["status"] == "partial":
            assert 0 < loaded < row["measures"], row["code"]
        else:
            assert loaded == 0, row["code"]
        if row["negative_list"]:
            assert row["measures"] == negative[row["negative_list"]], row["code"]


def test_every_foreign_investment_edition_of_the_count_table_is_an_edition(data):
    editions = {r["negative_list"] for r in data["opening_editions.csv"]}
    assert {r["code"] for r in data["negative_lists.csv"]} <= editions


def test_an_edition_claiming_completeness_with_missing_measures_is_refused(data_copy):
    edit_csv(data_copy / "opening_editions.csv", ",ftz-2019,not_loaded,", ",ftz-2019,complete,")
    with pytest.raises(ReferenceDataError) as caught:
        read_dataset(data_copy)
    assert any("status complete" in p.message for p in caught.value.problems)
