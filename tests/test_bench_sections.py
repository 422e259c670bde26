"""The benchmark scripts each replace their own section of docs/benchmarks.md and leave the
others as they were."""

from benchmarks.sections import keep_section, replace_section

REPORT = "# Benchmarks\n\n## A\n\nold a\n\n## B\n\nold b\n"


def test_a_section_is_replaced_in_place_and_the_others_kept():
    out = replace_section(REPORT, "## A\n\nnew a\n")
    assert out == "# Benchmarks\n\n## A\n\nnew a\n\n## B\n\nold b\n"
    last = replace_section(REPORT, "## B\n\nnew b")
    assert last == "# Benchmarks\n\n## A\n\nold a\n\n## B\n\nnew b\n"


def test_a_missing_section_is_added_at_the_end():
    assert replace_section(REPORT, "## C\n\nc\n").endswith("## B\n\nold b\n\n## C\n\nc\n")


def test_a_full_run_keeps_the_last_measurement_of_a_section_it_did_not_measure():
    fresh = "# Benchmarks\n\n## A\n\nfresh a\n"
    assert keep_section(fresh, REPORT, "## B") == fresh + "\n## B\n\nold b\n"
    assert keep_section(fresh, REPORT, "## Z") == fresh
    assert keep_section(fresh, REPORT, "## A") == "# Benchmarks\n\n## A\n\nold a\n"
