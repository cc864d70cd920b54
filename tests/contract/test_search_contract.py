"""One contract, every search backend: the same queries give the same works and the same facet counts."""
from __future__ import annotations

import pytest

from search.backend import FACETS, SearchRequest
from search.query import parse_query

from .documents import CORPUS, PUBLIC_IDS, document

pytestmark = pytest.mark.contract


@pytest.fixture
def loaded(backend):
    backend.index(CORPUS)
    backend.refresh()
    return backend


def ids(backend, q: str, **options) -> set[int]:
    result = backend.search(SearchRequest(query=parse_query(q), size=100, **options))
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}


@pytest.mark.parametrize("q, expected", [
    ("化工", {1, 4}),              # 2 characters inside 化工过程 (1) and the unit 化工学院 (1, 4)
    ("甲醇", {6}),
    ("催化剂", {6}),               # 3 characters
    ("故障诊断", {1}),             # 4 characters, also a keyword
    ("有机框架", {4}),             # 4 characters inside 金属有机框架材料
    ("二氧化碳", {6}),
    ("断故", set()),               # characters that are not adjacent in that order
    ("化 剂", {6}),                # single characters, both required
])
def test_chinese_words_inside_longer_text(loaded, q, expected):
    assert ids(loaded, q) == expected


@pytest.mark.parametrize("q, expected", [
    ("catalysts", {2, 3, 5}),
    ("catalyst", {2, 3, 5}),
    ("hydrogenation", {2}),
    ("hydrogenated", {2}),
    ("learns", {1, 5}),           # learning / learns share the stem learn
    ("CO2", {2}),
    ("in2o3", {2}),
])
def test_english_words_are_stemmed(loaded, q, expected):
    assert ids(loaded, q) == expected


@pytest.mark.parametrize("q", ["zhang san", "zhangsan", "san zhang", "Zhang San", "张三", "author:zhangsan",
                               'author:"san zhang"', "author:张三"])
def test_pinyin_and_characters_find_the_same_author(loaded, q):
    assert ids(loaded, q) == {1, 2, 6}


def test_author_prefix_does_not_search_titles(loaded):
    assert ids(loaded, "author:wang") == {1, 5}
    assert ids(loaded, "author:chen jing") == {4, 6}  # only the next word is fielded: jing anywhere
    assert ids(loaded, 'author:"chen jing"') == {4, 6}
    assert ids(loaded, "author:catalyst") == set()


def test_phrases_keep_word_order(loaded):
    assert ids(loaded, "deep learning") == {1, 5}
    assert ids(loaded, '"deep learning"') == {1}
    assert ids(loaded, '"learning deep"') == set()
    assert ids(loaded, '"化工过程"') == {1}


@pytest.mark.parametrize("q, expected", [
    ("title:catalyst", {2, 3}),
    ("catalyst", {2, 3, 5}),
    ("abstract:catalyst", {5}),
    ("keyword:methanol", {3}),
    ("venue:catalysis", {2}),
    ("unit:化工学院", {1, 4}),
    ("title:(graph OR 金属)", {4}),
    ("doi:10.5555/TEST.0001", {2}),
    ("doi:https://doi.org/10.5555/test.0001", {2}),
    ("10.5555/test.0001", {2}),
    ("id:WOS:000000000000001", {2}),
    ("WOS:000000000000001", {2}),
])
def test_field_prefixes(loaded, q, expected):
    assert ids(loaded, q) == expected


@pytest.mark.parametrize("q, expected", [
    ("year:2022..2023", {1, 2, 6}),
    ("year:2023", {1, 6}),
    ("year:..2021", {3, 5}),
    ("year:2024..", {4}),
    ("catalyst year:2021..2022", {2, 3}),
])
def test_year_ranges(loaded, q, expected):
    assert ids(loaded, q) == expected


@pytest.mark.parametrize("q, expected", [
    ("catalyst AND methanol", {2, 3}),
    ("catalyst methanol", {2, 3}),
    ("catalyst OR 甲醇", {2, 3, 5, 6}),
    ("catalyst NOT methanol", {5}),
    ("catalyst -methanol", {5}),
    ("NOT catalyst", PUBLIC_IDS - {2, 3, 5}),
    ("(catalyst OR 甲醇) AND year:2023", {6}),
    ("catalyst AND NOT (methanol OR control)", set()),
    ("NOT year:2020..2023", {4}),
    ("catal*", {2, 3, 5}),
])
def test_boolean_operators(loaded, q, expected):
    assert ids(loaded, q) == expected


def test_only_public_works_unless_asked(loaded):
    assert ids(loaded, "catalyst") == {2, 3, 5}
    assert ids(loaded, "catalyst", public_only=False) == {2, 3, 5, 7, 8}
    assert ids(loaded, "") == PUBLIC_IDS


#: Facet counts over the public works of CORPUS, as every backend must report them.
EXPECTED_FACETS = {
    "": {
        "year": [("2023", 2), ("2020", 1), ("2021", 1), ("2022", 1), ("2024", 1)],
        "type": [("conference_paper", 2), ("journal_article", 2), ("doctoral_thesis", 1), ("patent", 1)],
        "unit": [("1", 3), ("2", 2), ("3", 1)],
        "source": [("cnki", 3), ("ei", 2), ("wos", 2)],
        "indexed_in": [("EI", 3), ("CSCD", 1), ("SCIE", 1), ("北大核心", 1)],
        "jcr_quartile": [("Q1", 1)],
        "language": [("en", 3), ("zh", 3)],
        "status": [("verified", 6)],
    },
    "catalyst": {
        "year": [("2020", 1), ("2021", 1), ("2022", 1)],
        "type": [("conference_paper", 2), ("journal_article", 1)],
        "unit": [("1", 1), ("3", 1)],
        "source": [("ei", 2), ("wos", 2)],
        "indexed_in": [("EI", 3), ("SCIE", 1)],
        "jcr_quartile": [("Q1", 1)],
        "language": [("en", 3)],
        "status": [("verified", 3)],
    },
}


@pytest.mark.parametrize("q", sorted(EXPECTED_FACETS))
def test_facet_counts(loaded, q):
    result = loaded.search(SearchRequest(query=parse_query(q)))
    assert result.facets == EXPECTED_FACETS[q]


def test_filters_narrow_results_and_facets(loaded):
    request = SearchRequest(query=parse_query(""), filters={"unit": ["2"], "language": ["zh"]})
    result = loaded.search(request)
    assert {hit.id for hit in result.hits} == {1, 4}
    assert result.facets["type"] == [("doctoral_thesis", 1), ("journal_article", 1)]
    either = SearchRequest(query=parse_query("catalyst"), filters={"type": ["journal_article", "conference_paper"]})
    assert {hit.id for hit in loaded.search(either).hits} == {2, 3, 5}


def test_hits_carry_display_fields(loaded):
    result = loaded.search(SearchRequest(query=parse_query("doi:10.5555/test.0001")))
    assert result.hits[0].display["title"] == "Selective hydrogenation of CO2 over In2O3 catalysts"
    assert result.hits[0].display["authors"] == ["张三", "Li, Si"]
    assert result.hits[0].display["venue"] == "Journal of Catalysis"


def test_relevance_puts_title_matches_first(loaded):
    result = loaded.search(SearchRequest(query=parse_query("catalyst")))
    assert result.hits[-1].id == 5  # only in the abstract


def test_deletion_is_visible_after_refresh(loaded):
    def types():
        return loaded.search(SearchRequest(query=parse_query("catalyst"))).facets["type"]

    assert types() == [("conference_paper", 2), ("journal_article", 1)]
    loaded.delete([2, 999])
    loaded.refresh()
    assert ids(loaded, "catalyst") == {3, 5}
    assert ids(loaded, "zhangsan") == {1, 6}
    assert types() == [("conference_paper", 2)]  # facet counts follow too


def test_update_replaces_the_document(loaded):
    loaded.index([document(3, title="A zeolite for methanol synthesis", year=2021)])
    loaded.refresh()
    assert ids(loaded, "catalyst") == {2, 5}
    assert ids(loaded, "zeolite") == {3}


def test_deep_paging_with_cursor_visits_every_work_once(backend):
    backend.index([document(n, title=f"Catalyst study number {n}", year=2000 + n % 25) for n in range(1, 251)])
    backend.refresh()
    for sort in ("relevance", "year_desc", "year_asc"):
        seen, cursor, pages = [], None, 0
        while True:
            result = backend.search(SearchRequest(query=parse_query("catalyst"), sort=sort, size=40, cursor=cursor,
                                                  facets=()))
            seen.extend(hit.id for hit in result.hits)
            pages += 1
            cursor = result.next_cursor
            if cursor is None:
                break
        assert result.total == 250 and pages == 7
        assert sorted(seen) == list(range(1, 251))
        if sort == "year_desc":
            expected = sorted(range(1, 251), key=lambda n: (-(2000 + n % 25), -n))
            assert seen == expected


def test_page_numbers_and_cursor_agree(backend):
    backend.index([document(n, title=f"Graphene sample {n}", year=2010 + n % 7) for n in range(1, 61)])
    backend.refresh()
    query = parse_query("graphene")
    first = backend.search(SearchRequest(query=query, sort="year_asc", size=25))
    second = backend.search(SearchRequest(query=query, sort="year_asc", size=25, page=2))
    by_cursor = backend.search(SearchRequest(query=query, sort="year_asc", size=25, cursor=first.next_cursor))
    assert [h.id for h in second.hits] == [h.id for h in by_cursor.hits]
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_suggest_by_characters_and_pinyin(loaded):
    assert loaded.suggest("zhang") == [("张三", 3)]
    assert loaded.suggest("张") == [("张三", 3)]
    assert loaded.suggest("故障") == [("故障诊断", 1)]
    assert ("Journal of Catalysis", 1) in loaded.suggest("journal")
    assert loaded.suggest("unverified") == []
    assert loaded.suggest("li, si") == [("Li, Si", 2)]  # not the embargoed work 8
    assert loaded.suggest("li, si", public_only=False) == [("Li, Si", 3)]


def test_reindex_swaps_in_a_complete_new_index(loaded):
    progress = []
    count = loaded.reindex(iter([document(10, title="Perovskite solar cells", year=2024),
                                 document(11, title="钙钛矿太阳能电池", year=2024, language="zh")]),
                           progress=progress.append)
    loaded.refresh()
    assert count == 2 and sum(progress) == 2
    assert ids(loaded, "") == {10, 11}
    assert ids(loaded, "太阳能") == {11}
    loaded.index([document(12, title="Perovskite tandem cells")])
    loaded.refresh()
    assert ids(loaded, "perovskite") == {10, 12}


def test_every_facet_is_reported(loaded):
    assert set(loaded.search(SearchRequest(query=parse_query("zhangsan"))).facets) == set(FACETS)
