"""What only the embedded backend does: FTS5 expressions, its files, and change-aware facet caching."""
from search.backend import SearchRequest
from search.embedded import EmbeddedBackend, fts_expression
from search.query import parse_query
from tests.contract.documents import CORPUS, document


def test_user_text_is_quoted_in_fts5_expressions():
    expression = fts_expression(parse_query('title:"a NOT b" OR c'))
    assert expression.startswith('(({title} : "a not b")')  # operators inside a phrase are plain words
    assert fts_expression(parse_query("year:2020")) is None  # ranges go to SQL, not to MATCH


def test_a_change_through_another_connection_refreshes_cached_facets(tmp_path):
    reader, writer = EmbeddedBackend(tmp_path), EmbeddedBackend(tmp_path)
    reader.index(CORPUS)
    request = SearchRequest(query=parse_query(""))
    assert dict(reader.search(request).facets["language"]) == {"en": 3, "zh": 3}
    writer.index([document(50, title="Another English paper")])  # e.g. a worker process
    assert dict(reader.search(request).facets["language"]) == {"en": 4, "zh": 3}


def test_reindex_replaces_the_live_file_and_removes_the_old_one(tmp_path):
    backend = EmbeddedBackend(tmp_path)
    backend.index(CORPUS)
    old = {p.name for p in tmp_path.glob("works-*.db")}
    backend.reindex(iter(CORPUS[:2]))
    new = {p.name for p in tmp_path.glob("works-*.db")}
    assert len(new) == 1 and not new & old
    assert backend.search(SearchRequest(query=parse_query(""), public_only=False)).total == 2
