"""Both backends, loaded with the same works, report identical totals, facets and year-sorted pages."""
from __future__ import annotations

import pytest

from search.backend import SearchRequest
from search.embedded import EmbeddedBackend
from search.query import parse_query

from .conftest import make_elasticsearch_backend
from .documents import CORPUS, document

pytestmark = [pytest.mark.contract, pytest.mark.services]

QUERIES = ["", "catalyst", "zhang san", "化工 OR catalyst", "year:2021..2024", "NOT 甲醇", "learning -control"]


@pytest.fixture
def both(tmp_path):
    elastic, _url = make_elasticsearch_backend()
    embedded = EmbeddedBackend(tmp_path / "search")
    extra = [document(100 + n, title=f"Catalyst screening {n}", year=2015 + n % 9,
                      type=("review", "journal_article")[n % 2], indexed_in=[["SCIE"], ["EI", "SCIE"], []][n % 3],
                      sources=[["wos"], ["cnki", "wos"]][n % 2], language=("en", "zh")[n % 2])
             for n in range(40)]
    for backend in (elastic, embedded):
        backend.index(CORPUS + extra)
        backend.refresh()
    yield elastic, embedded
    elastic.drop()


@pytest.mark.parametrize("q", QUERIES)
def test_totals_facets_and_sorted_pages_are_equal(both, q):
    elastic, embedded = both
    request = SearchRequest(query=parse_query(q), sort="year_desc", size=15)
    from_es, from_embedded = elastic.search(request), embedded.search(request)
    assert from_es.total == from_embedded.total
    assert from_es.facets == from_embedded.facets
    assert [h.id for h in from_es.hits] == [h.id for h in from_embedded.hits]
