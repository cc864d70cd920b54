"""Search over works: one SearchBackend interface, an embedded (SQLite FTS5) and an Elasticsearch backend.

- ``analysis``: the tokens both backends index (CJK bigrams, English stems, pinyin name forms);
- ``query``: the librarian's query syntax, parsed to a tree;
- ``document``: the normalized search document of a Work;
- ``backend``: the interface and its request/result values; ``embedded`` and ``elasticsearch``;
- ``service``: backend choice by ZHIKU_SEARCH_URL; ``indexing``: event-driven updates and reindexing;
- ``hooks``: the built-in ``search`` plugin that wires it all in.
"""
