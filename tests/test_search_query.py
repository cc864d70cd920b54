"""The librarian's query syntax: what parses to what, and clear errors for what does not."""
import pytest

from search.query import (And, Exact, MatchAll, Not, Or, QuerySyntaxError, Text, YearRange, parse_query,
                          positive_texts)


def test_empty_query_matches_everything():
    assert parse_query("") == MatchAll()
    assert parse_query("   ") == MatchAll()


def test_words_side_by_side_are_all_required():
    assert parse_query("graphene oxide") == And((Text("graphene"), Text("oxide")))


def test_phrases_fields_ranges_and_operators():
    tree = parse_query('title:"metal organic" AND (author:zhang OR 张三) NOT year:2020..2022')
    assert tree == And((
        Text("metal organic", "title", phrase=True),
        Or((Text("zhang", "authors"), Text("张三"))),
        Not(YearRange(2020, 2022)),
    ))


def test_field_prefix_applies_to_a_group():
    assert parse_query("title:(a OR b)") == Or((Text("a", "title"), Text("b", "title")))


def test_minus_is_not_and_star_is_a_prefix():
    assert parse_query("catal* -methanol") == And((Text("catal", prefix=True), Not(Text("methanol"))))


@pytest.mark.parametrize("text, expected", [("year:2021", YearRange(2021, 2021)), ("year:2019..", YearRange(2019, None)),
                                            ("year:..2019", YearRange(None, 2019))])
def test_year_forms(text, expected):
    assert parse_query(text) == expected


def test_identifiers_are_matched_exactly():
    assert parse_query("doi:https://doi.org/10.1000/ABC") == Exact("doi", "10.1000/abc")
    assert parse_query("10.1000/abc") == Or((Text("10.1000/abc"), Exact("doi", "10.1000/abc")))
    assert parse_query("WOS:000123456789") == Or((Text("WOS:000123456789"), Exact("ids", "wos:000123456789")))


def test_unknown_prefixes_are_ordinary_words():
    assert parse_query("ratio:high") == Text("ratio:high")


@pytest.mark.parametrize("text, message, position", [
    ('"open phrase', "quotation mark at position 1 is not closed", 0),
    ("(graphene OR oxide", "parenthesis at position 1 is not closed", 0),
    ("graphene)", "Unexpected “)” at position 9", 8),
    ("graphene OR", "ends where a word was expected", 11),
    ("year:2023..2020", "runs backwards", 5),
    ("year:soon", "not a year or a range", 5),
    ("title:(author:x)", "inside another field", 7),
    ("title:&&&", "nothing to search for", 6),
    ("AND", "Unexpected “AND”", 0),
])
def test_invalid_queries_give_clear_errors(text, message, position):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert message in str(caught.value)
    assert caught.value.position == position


def test_ranking_ignores_negated_words():
    assert positive_texts(parse_query("a -b (c OR NOT d)")) == [Text("a"), Text("c")]
