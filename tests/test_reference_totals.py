"""Batch counts derived from published cumulative totals, recomputed from the data files and
checked against every published total they rest on."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from zimao.reference.loader import read_dataset

# The published national totals the derivations rest on (year-end or dated releases on one
# counting basis: State Council batches, best-practice cases and ministry replications).
CHECKPOINTS = ["2018-12-31", "2019-12-31", "2020-12-31", "2021-07", "2023-08", "2024-07"]


def _day(text: str) -> date:
    """The last day a partial date can mean (2021-07 → 2021-07-31, 2020 → 2020-12-31)."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        year, month = parts
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 12, 31)


@pytest.fixture(scope="module")
def data():
    return read_dataset()


@pytest.fixture(scope="module")
def totals(data) -> dict[str, Decimal]:
    rows = [
        r
        for r in data["observations.csv"]
        if r["indicator"] == "replicated_total" and r["subject_kind"] == "nation" and r["preferred"]
    ]
    return {r["period"]: r["value"] for r in rows}


@pytest.fixture(scope="module")
def batches(data) -> list[tuple[date, str, int | None, str]]:
    """(release date, code, preferred count, confidence of that count) of dated batches."""
    counts = {r["batch"]: r["confidence"] for r in data["batch_counts.csv"] if r["preferred"]}
    found = []
    for row in data["replication_batches.csv"]:
        when = row["issue_date"] or (str(row["year"]) if row["year"] else "")
        if when:
            found.append(
                (_day(str(when)), row["code"], row["item_count"], counts.get(row["code"], ""))
            )
    return found


def _between(batches, start: str, end: str):
    return [b for b in batches if _day(start) < b[0] <= _day(end)]


def test_every_checkpoint_is_a_published_preferred_total(totals):
    assert all(period in totals for period in CHECKPOINTS)


@pytest.mark.parametrize("start,end", list(pairwise(CHECKPOINTS)))
def test_batches_released_between_two_totals_add_up_to_the_difference(totals, batches, start, end):
    released = _between(batches, start, end)
    assert released, f"no batch between {start} and {end}"
    assert all(count is not None for _, _, count, _ in released), released
    assert sum(count for _, _, count, _ in released) == totals[end] - totals[start]


def test_each_derived_count_is_the_difference_left_by_the_known_ones(totals, batches):
    derived = 0
    for start, end in pairwise(CHECKPOINTS):
        released = _between(batches, start, end)
        unknown = [b for b in released if b[3] == "D"]
        if not unknown:
            continue
        assert len(unknown) == 1, f"{start}..{end}: more than one derived count"
        known = sum(b[2] for b in released if b[3] != "D")
        assert unknown[0][2] == totals[end] - totals[start] - known
        derived += 1
    assert derived == 3  # the 6th and 7th State Council batches and best-practice batch 4


def test_the_2018_and_2019_totals_are_the_sum_of_their_channels(data, totals):
    values = {
        (r["indicator"], r["period"]): r["value"]
        for r in data["observations.csv"]
        if r["subject_kind"] == "nation" and r["preferred"]
    }
    for period in ("2018-12-31", "2019-12-31"):
        channels = sum(values[(f"replicated_{c}_total", period)] for c in ("sc", "bp", "ministry"))
        assert channels == totals[period]


def test_conflicting_counts_of_a_batch_stay_side_by_side(data):
    bp3 = [r for r in data["batch_counts.csv"] if r["batch"] == "bp-3"]
    assert sorted(r["item_count"] for r in bp3) == [31, 32]
    assert [r["item_count"] for r in bp3 if r["preferred"]] == [31]


def test_approximate_values_carry_the_flag_their_note_states(data):
    """A value the source gives as 'more than' is a lower bound, 'nearly' an upper bound: the
    flag says so wherever the note does, and the reverse."""
    for row in data["observations.csv"]:
        flags = set(str(row["flags"] or "").split(";"))
        note = str(row["note"] or "")
        where = f"observations.csv:{row.line}"
        assert ("lower bound" in note) == ("more_than" in flags), where
        assert ("upper bound" in note) == ("nearly" in flags), where
