"""The embedded backend: SQLite FTS5 in the instance folder, BM25 ranking, facets in SQL.

Tokens come from ``search.analysis`` (CJK bigrams, stems, pinyin) and are stored whitespace-separated
in FTS5 columns; a query is compiled from the parsed tree into parameterized SQL and FTS5 MATCH
strings in which every token is a quoted string, so user input never becomes SQL or FTS5 syntax.

The live database file is named in a small pointer file (``current``); ``reindex`` builds a new file
and replaces the pointer atomically, so searches never see a half-built index.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Callable, Iterable, Sequence

from . import document as doc
from .backend import (SearchBackend, SearchRequest, SearchResult, SearchUnavailable, Hit, decode_cursor,
                      encode_cursor, rank_suggestions, sorted_facet)
from .query import TEXT_FIELDS, And, Exact, MatchAll, Node, Not, Or, Text, YearRange, positive_texts

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS doc (
    id INTEGER PRIMARY KEY, year INTEGER, year_sort INTEGER NOT NULL, public INTEGER NOT NULL,
    embargo_until TEXT, display TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5({", ".join(TEXT_FIELDS)}, tokenize='unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS facet_value (code INTEGER PRIMARY KEY, field TEXT NOT NULL, value TEXT NOT NULL,
                                        UNIQUE (field, value));
CREATE TABLE IF NOT EXISTS facet (doc_id INTEGER NOT NULL, code INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS facet_doc ON facet (doc_id, code);
CREATE INDEX IF NOT EXISTS facet_code ON facet (code, doc_id);
CREATE TABLE IF NOT EXISTS exact (doc_id INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS exact_lookup ON exact (field, value, doc_id);
CREATE INDEX IF NOT EXISTS exact_doc ON exact (doc_id);
CREATE TABLE IF NOT EXISTS suggestion (doc_id INTEGER NOT NULL, entry TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS suggestion_entry ON suggestion (entry);
CREATE INDEX IF NOT EXISTS suggestion_doc ON suggestion (doc_id);
"""
PUBLIC_SQL = "d.public = 1 AND (d.embargo_until IS NULL OR d.embargo_until <= ?)"
BM25_WEIGHTS = ", ".join(str(weight) for weight in TEXT_FIELDS.values())
BATCH = 500
FACET_CACHE_SIZE = 256

SORT_SQL = {  # ORDER BY, and the keyset condition that continues after a cursor
    "relevance": ("score ASC, id ASC", "(score > ? OR (score = ? AND id > ?))", "score"),
    "year_desc": ("year_sort DESC, id DESC", "(year_sort < ? OR (year_sort = ? AND id < ?))", "year_sort"),
    "year_asc": ("year_sort ASC, id ASC", "(year_sort > ? OR (year_sort = ? AND id > ?))", "year_sort"),
}


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts_leaf(leaf: Text) -> str:
    # Fields that analyse the text alike share one phrase, so BM25 weighs it with one IDF for all of them.
    groups: dict[tuple[str, bool], list[str]] = {}
    for field, tokens, prefix in leaf.clauses():
        groups.setdefault((" ".join(tokens), prefix), []).append(field)
    parts = [f"{{{' '.join(fields)}}} : {_quote(phrase)}{' *' if prefix else ''}"
             for (phrase, prefix), fields in groups.items()]
    return "(" + " OR ".join(parts) + ")"


def fts_expression(node: Node) -> str | None:
    """The FTS5 MATCH string for *node*, or None when it needs more than full text (ranges, lone NOT)."""
    if isinstance(node, Text):
        return _fts_leaf(node)
    if isinstance(node, Or):
        parts = [fts_expression(child) for child in node.children]
        return None if None in parts else "(" + " OR ".join(parts) + ")"
    if isinstance(node, And):
        positive = [fts_expression(c) for c in node.children if not isinstance(c, Not)]
        negative = [fts_expression(c.child) for c in node.children if isinstance(c, Not)]
        if not positive or None in positive or None in negative:
            return None
        expression = "(" + " AND ".join(positive) + ")"
        return f"({expression} NOT ({' OR '.join(negative)}))" if negative else expression
    return None


def _condition(node: Node, params: list) -> str:
    """A SQL condition on ``d`` (the doc table) for *node*, with its parameters appended to *params*."""
    expression = fts_expression(node)
    if expression is not None:
        params.append(expression)
        return "d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
    if isinstance(node, MatchAll):
        return "1"
    if isinstance(node, Exact):
        params.extend([node.field, node.value])
        return "d.id IN (SELECT doc_id FROM exact WHERE field = ? AND value = ?)"
    if isinstance(node, YearRange):
        parts = []
        if node.low is not None:
            parts.append("d.year >= ?")
            params.append(node.low)
        if node.high is not None:
            parts.append("d.year <= ?")
            params.append(node.high)
        return "(" + " AND ".join(parts) + ")"
    if isinstance(node, Not):
        return f"NOT ({_condition(node.child, params)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(_condition(child, params) for child in node.children) + ")"


class EmbeddedBackend(SearchBackend):
    """SQLite FTS5 files in *directory* (the instance folder's ``search/`` by default)."""

    name = "embedded"

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.pointer = self.directory / "current"
        self._local = threading.local()
        self._facet_cache: OrderedDict = OrderedDict()
        self._facet_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, app) -> "EmbeddedBackend":
        """``embedded`` (or empty) uses <instance>/search; ``embedded:///some/dir`` names the folder."""
        path = url.partition("://")[2] if "://" in url else ""
        return cls(Path(path) if path else Path(app.instance_path) / "search")

    # --- files and connections ------------------------------------------------------------------------

    def _current_file(self) -> Path:
        try:
            return self.directory / self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return self._switch_to(self._new_file())

    def _new_file(self) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"works-{time.time_ns()}-{os.getpid()}.db"
        with closing(self._open(path)) as connection:
            connection.executescript(SCHEMA)
        return path

    def _switch_to(self, path: Path) -> Path:
        temporary = self.pointer.with_name(f"current.{os.getpid()}")
        temporary.write_text(path.name, encoding="utf-8")
        os.replace(temporary, self.pointer)
        return path

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise SearchUnavailable(f"cannot open the search database {path}: {exc}") from exc
        return connection

    @contextmanager
    def _connection(self, write: bool = False):
        """This thread's connection to the live file, kept open: closing the last WAL connection
        checkpoints, which would cost every search milliseconds."""
        try:
            path = self._current_file()
        except OSError as exc:
            raise SearchUnavailable(f"search folder {self.directory} is not usable: {exc}") from exc
        cached = getattr(self._local, "connection", None)
        if cached is None or cached[0] != path:
            if cached is not None:
                cached[1].close()
            self._local.connection = (path, self._open(path))
        connection = self._local.connection[1]
        try:
            if write:
                connection.execute("BEGIN IMMEDIATE")
            yield connection
            if write:
                connection.execute("COMMIT")
        except sqlite3.Error as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise SearchUnavailable(f"search database error: {exc}") from exc

    # --- writing --------------------------------------------------------------------------------------

    @staticmethod
    def _delete_rows(connection, ids: Sequence[int]) -> None:
        marks = ",".join("?" * len(ids))
        for table, column in (("doc", "id"), ("fts", "rowid"), ("facet", "doc_id"), ("exact", "doc_id"),
                              ("suggestion", "doc_id")):
            connection.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", list(ids))

    @staticmethod
    def _insert(connection, documents: Sequence[dict]) -> None:
        connection.executemany(
            "INSERT INTO doc (id, year, year_sort, public, embargo_until, display) VALUES (?, ?, ?, ?, ?, ?)",
            [(d["id"], d.get("year"), doc.sort_year(d), int(d["public"]), d.get("embargo_until"),
              json.dumps(doc.display(d), ensure_ascii=False)) for d in documents])
        columns = list(TEXT_FIELDS)
        connection.executemany(
            f"INSERT INTO fts (rowid, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
            [(d["id"], *(fields[c] for c in columns)) for d in documents for fields in [doc.text_fields(d)]])
        # facet values are stored as small integer codes: counting groups integers, not strings
        facets = [(d["id"], field, value) for d in documents for field, values in doc.facet_values(d).items()
                  for value in values]
        connection.executemany("INSERT OR IGNORE INTO facet_value (field, value) VALUES (?, ?)",
                               sorted({(field, value) for _id, field, value in facets}))
        connection.executemany("INSERT INTO facet (doc_id, code) SELECT ?, code FROM facet_value "
                               "WHERE field = ? AND value = ?", facets)
        connection.executemany(
            "INSERT INTO exact (doc_id, field, value) VALUES (?, ?, ?)",
            [(d["id"], field, value) for d in documents for field, values in doc.exact_values(d).items()
             for value in values])
        connection.executemany("INSERT INTO suggestion (doc_id, entry) VALUES (?, ?)",
                               [(d["id"], entry) for d in documents for entry in doc.suggestions(d)])

    def index(self, documents: Sequence[dict]) -> None:
        if not documents:
            return
        with self._connection(write=True) as connection:
            self._delete_rows(connection, [d["id"] for d in documents])
            self._insert(connection, documents)

    def delete(self, work_ids: Sequence[int]) -> None:
        if work_ids:
            with self._connection(write=True) as connection:
                self._delete_rows(connection, list(work_ids))

    def reindex(self, documents: Iterable[dict], progress: Callable[[int], None] | None = None) -> int:
        path = self._new_file()
        count = 0
        with closing(self._open(path)) as connection:
            connection.execute("PRAGMA synchronous=OFF")
            batch: list[dict] = []
            for document in itertools.chain(documents, [None]):  # None: flush the last batch
                if document is not None:
                    batch.append(document)
                if batch and (document is None or len(batch) >= BATCH):
                    connection.execute("BEGIN")
                    self._insert(connection, batch)
                    connection.execute("COMMIT")
                    count += len(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            connection.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            connection.execute("ANALYZE")
        old = self._current_file() if self.pointer.exists() else None
        self._switch_to(path)
        if old is not None and old != path:
            for stale in (old, Path(f"{old}-wal"), Path(f"{old}-shm")):
                stale.unlink(missing_ok=True)
        return count

    def refresh(self) -> None:
        """Nothing to do: a committed SQLite transaction is visible at once."""

    def check(self) -> None:
        with self._connection() as connection:
            connection.execute("SELECT 1 FROM doc LIMIT 1")

    def drop(self) -> None:
        cached = getattr(self._local, "connection", None)
        if cached is not None:
            cached[1].close()
            self._local.connection = None
        if self.directory.is_dir():
            for path in self.directory.iterdir():
                if path.name == "current" or path.name.startswith("works-"):
                    path.unlink(missing_ok=True)

    # --- searching ------------------------------------------------------------------------------------

    def _hits_sql(self, request: SearchRequest) -> tuple[str, list]:
        params: list = []
        texts = positive_texts(request.query)
        rank = "(" + " OR ".join(_fts_leaf(t) for t in texts) + ")" if texts else None
        whole = fts_expression(request.query)
        if rank is not None and whole is not None:  # one MATCH both selects and ranks
            source = (f"doc d JOIN (SELECT rowid AS rid, bm25(fts, {BM25_WEIGHTS}) AS score FROM fts "
                      f"WHERE fts MATCH ?) r ON r.rid = d.id")
            params.append(whole)
            conditions = []
        elif rank is not None:
            source = (f"doc d LEFT JOIN (SELECT rowid AS rid, bm25(fts, {BM25_WEIGHTS}) AS score FROM fts "
                      f"WHERE fts MATCH ?) r ON r.rid = d.id")
            params.append(rank)
            conditions = [_condition(request.query, params)]
        else:
            source = "doc d"
            conditions = [_condition(request.query, params)]
        for facet, values in request.filters.items():
            if values:
                conditions.append(f"d.id IN (SELECT doc_id FROM facet WHERE code IN (SELECT code FROM facet_value "
                                  f"WHERE field = ? AND value IN ({','.join('?' * len(values))})))")
                params.extend([facet, *values])
        if request.public_only:
            conditions.append(PUBLIC_SQL)
            params.append(request.today.isoformat())
        score = "COALESCE(r.score, 0.0)" if rank is not None else "0.0"
        where = " AND ".join(conditions) or "1"
        return f"SELECT d.id AS id, {score} AS score, d.year_sort AS year_sort FROM {source} WHERE {where}", params

    def search(self, request: SearchRequest) -> SearchResult:
        order, after, key = SORT_SQL[request.sort]
        hits_sql, params = self._hits_sql(request)
        with self._connection() as connection:
            connection.execute("DROP TABLE IF EXISTS temp.hits")
            connection.execute(f"CREATE TEMP TABLE hits AS {hits_sql}", params)
            total = connection.execute("SELECT COUNT(*) FROM hits").fetchone()[0]
            page_sql, page_params = "SELECT id, score, year_sort FROM hits", []
            if request.cursor:
                value, last_id = decode_cursor(request.cursor)
                page_sql += f" WHERE {after}"
                page_params = [value, value, last_id]
            page_sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
            rows = connection.execute(page_sql, [*page_params, request.size, request.offset]).fetchall()
            displays = dict(connection.execute(
                f"SELECT id, display FROM doc WHERE id IN ({','.join('?' * len(rows))})",
                [row[0] for row in rows]).fetchall()) if rows else {}
            facets = self._cached_facets(connection, request)
        hits = [Hit(id=row[0], score=-row[1], display=json.loads(displays[row[0]])) for row in rows]
        next_cursor = None
        if rows and len(rows) == request.size and request.offset + len(rows) < total:
            last = rows[-1]
            next_cursor = encode_cursor([last[1] if key == "score" else last[2], last[0]])
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def _cached_facets(self, connection, request: SearchRequest) -> dict[str, list[tuple[str, int]]]:
        """Facet counts of the hits, remembered until the index changes: paging through a result, or
        many visitors browsing everything, count once. ``data_version`` moves when another connection
        commits, ``total_changes`` when this one does."""
        key = (request.query, tuple(sorted((k, tuple(v)) for k, v in request.filters.items())),
               request.public_only, request.today, tuple(request.facets))
        version = (self._local.connection[0], connection.execute("PRAGMA data_version").fetchone()[0],
                   connection.total_changes)
        with self._facet_lock:
            cached = self._facet_cache.get(key)
            if cached is not None and cached[0] == version:
                self._facet_cache.move_to_end(key)
                return cached[1]
        facets = self._facets(connection, request.facets)
        with self._facet_lock:
            self._facet_cache[key] = (version, facets)
            while len(self._facet_cache) > FACET_CACHE_SIZE:
                self._facet_cache.popitem(last=False)
        return facets

    @staticmethod
    def _facets(connection, names: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        if not names:
            return {}
        counts: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
        rows = connection.execute(  # every facet in one pass over the hits' rows; unasked ones dropped here
            "SELECT v.field, v.value, c.n FROM (SELECT code, COUNT(*) AS n FROM facet "
            "WHERE doc_id IN (SELECT id FROM hits) GROUP BY code) c JOIN facet_value v ON v.code = c.code")
        for field, value, count in rows:
            if field in counts:
                counts[field].append((value, count))
        return {name: sorted_facet(values) for name, values in counts.items()}

    def suggest(self, prefix: str, size: int = 10, public_only: bool = True) -> list[tuple[str, int]]:
        from .analysis import normalize

        key = normalize(prefix).strip()
        if not key:
            return []
        public = f"AND {PUBLIC_SQL}" if public_only else ""
        params = [key, key + "\U0010ffff"] + ([dt.date.today().isoformat()] if public_only else [])
        with self._connection() as connection:
            rows = connection.execute(
                f"SELECT s.entry, COUNT(*) FROM suggestion s JOIN doc d ON d.id = s.doc_id "
                f"WHERE s.entry >= ? AND s.entry < ? {public} GROUP BY s.entry", params).fetchall()
        return rank_suggestions(rows, size)
