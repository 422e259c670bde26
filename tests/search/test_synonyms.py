"""The synonym table: its shipped file is valid, `same` rows merge both ways, `narrower` rows
expand one way."""

import pytest

from zimao.search.query import expand
from zimao.search.synonyms import DATA_DIR, expansions, load_synonyms, read_rows

HEADER = "term,synonyms,relation,source\n"


def table(tmp_path, body: str):
    path = tmp_path / "synonyms.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_shipped_table_is_valid_and_names_its_sources():
    rows = read_rows(DATA_DIR / "synonyms.csv")
    assert len(rows) >= 50
    assert all(row.source for row in rows)
    synonyms = load_synonyms()
    assert "外商投资" in synonyms["外资"] and "外资" in synonyms["外商投资"]
    assert "知识产权" in synonyms["知产"]


def test_same_rows_expand_both_ways_and_merge(tmp_path):
    rows = read_rows(table(tmp_path, "电商,电子商务,same,x\n电子商务,网络零售,same,y\n"))
    got = expansions(rows)
    assert set(got["电商"]) == {"电子商务", "网络零售"}
    assert set(got["网络零售"]) == {"电商", "电子商务"}


def test_narrower_rows_expand_one_way_from_every_form(tmp_path):
    body = "税收,税务,same,x\n税收,退税；涉税,narrower,y\n"
    got = expansions(read_rows(table(tmp_path, body)))
    assert set(got["税务"]) == {"税收", "退税", "涉税"}
    assert "退税" not in got


@pytest.mark.parametrize(
    "body",
    ["外资,,same,x\n", "外资,外商投资,similar,x\n", "外资,外商投资,same,\n", "外资,外资,same,x\n"],
)
def test_a_bad_row_is_refused_with_its_line(tmp_path, body):
    with pytest.raises(ValueError, match=r"synonyms.csv:2"):
        read_rows(table(tmp_path, body))


def test_query_words_become_units_of_alternatives():
    assert expand(["外资", "准入"]) == [(("外资",), ("外商投资",), ("外国投资",)), (("准入",),)]
    # two query words that together are a table word form one unit
    assert expand(["不动产", "登记"])[0][0] == ("不动产", "登记")
    assert ("房产", "登记") in expand(["不动产", "登记"])[0]
    assert expand(["公证"]) == [(("公证",),)]
