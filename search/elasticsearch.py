"""The Elasticsearch backend (official client, Elasticsearch 8.x).

The index settings and mappings live in ``search/mappings/works.json`` and are installed as an index
template for ``<prefix>-works-*``. Searches and updates go through the alias ``<prefix>-works``; a full
reindex writes a new concrete index and moves the alias in one atomic ``update_aliases`` call, so
searches never see a half-built index. Text fields hold ``search.analysis`` tokens and are analysed by
``whitespace`` only (this distribution has no analysis-common module: no cjk, no ngram).

``ZHIKU_SEARCH_URL`` is ``http(s)://host:port[/prefix]``; the prefix (default ``zhiku``) lets several
installations, or test sessions, share one cluster.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from elasticsearch import Elasticsearch, helpers
from elasticsearch.exceptions import ApiError, BadRequestError, ConnectionError as ESConnectionError, TransportError

from . import document as doc
from .backend import (FACET_SIZE, SearchBackend, SearchRequest, SearchResult, SearchUnavailable, Hit,
                      decode_cursor, encode_cursor, rank_suggestions, sorted_facet)
from .query import TEXT_FIELDS, And, Exact, MatchAll, Node, Not, Or, Text, YearRange

MAPPINGS = Path(__file__).resolve().parent / "mappings" / "works.json"
BULK_CHUNK = 500
SUGGEST_SCAN = 200
FAILURES = (ESConnectionError, TransportError, ApiError)

SORT_ORDERS = {
    "relevance": [{"_score": "desc"}, {"work_id": "asc"}],
    "year_desc": [{"year_sort": "desc"}, {"work_id": "desc"}],
    "year_asc": [{"year_sort": "asc"}, {"work_id": "asc"}],
}


def _clause(field: str, tokens: list[str], prefix: bool) -> dict:
    text = " ".join(tokens)
    boost = TEXT_FIELDS[field]
    if prefix:
        if len(tokens) == 1:
            return {"prefix": {field: {"value": text, "boost": boost}}}
        return {"match_phrase_prefix": {field: {"query": text, "boost": boost}}}
    if len(tokens) == 1:
        return {"term": {field: {"value": text, "boost": boost}}}
    return {"match_phrase": {field: {"query": text, "boost": boost}}}


def compile_query(node: Node) -> dict:
    """The Elasticsearch query DSL for a parsed query tree."""
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Text):
        return {"dis_max": {"queries": [_clause(*clause) for clause in node.clauses()]}}
    if isinstance(node, Exact):
        return {"term": {node.field: node.value}}
    if isinstance(node, YearRange):
        bounds = {}
        if node.low is not None:
            bounds["gte"] = node.low
        if node.high is not None:
            bounds["lte"] = node.high
        return {"range": {"year": bounds}}
    if isinstance(node, Not):
        return {"bool": {"must_not": [compile_query(node.child)]}}
    if isinstance(node, Or):
        return {"bool": {"should": [compile_query(c) for c in node.children], "minimum_should_match": 1}}
    positive = [compile_query(c) for c in node.children if not isinstance(c, Not)]
    negative = [compile_query(c.child) for c in node.children if isinstance(c, Not)]
    return {"bool": {"must": positive or [{"match_all": {}}], "must_not": negative}}


def _public_filters(today: dt.date) -> list[dict]:
    """Public works: verified and not deleted (``public``), and not under embargo on *today*."""
    return [{"term": {"public": True}}, {"bool": {"should": [
        {"bool": {"must_not": [{"exists": {"field": "embargo_until"}}]}},
        {"range": {"embargo_until": {"lte": today.isoformat()}}},
    ], "minimum_should_match": 1}}]


def _filters(request: SearchRequest) -> list[dict]:
    filters = [{"terms": {f"facet_{facet}": values}} for facet, values in request.filters.items() if values]
    return filters + (_public_filters(request.today) if request.public_only else [])


def es_document(document: dict) -> dict:
    """The Elasticsearch source of a search document: tokens, exact values, facets, display."""
    source = {"work_id": document["id"], **doc.text_fields(document), **doc.exact_values(document),
              "year": document.get("year"), "year_sort": doc.sort_year(document), "public": document["public"],
              "embargo_until": document.get("embargo_until"), "suggest": doc.suggestions(document),
              "display": doc.display(document)}
    for facet, values in doc.facet_values(document).items():
        source[f"facet_{facet}"] = values
    return source


def build_body(request: SearchRequest) -> dict:
    """The complete search request body (query, filters, sort, paging, facet aggregations)."""
    body = {
        "query": {"bool": {"must": [compile_query(request.query)], "filter": _filters(request)}},
        "sort": SORT_ORDERS[request.sort],
        "size": request.size,
        "track_total_hits": True,
        "_source": ["display"],
        "aggs": {facet: {"terms": {"field": f"facet_{facet}", "size": FACET_SIZE,
                                   "order": [{"_count": "desc"}, {"_key": "asc"}]}}
                 for facet in request.facets},
    }
    if request.cursor:
        body["search_after"] = decode_cursor(request.cursor)
    else:
        body["from"] = request.offset
    return body


class ElasticsearchBackend(SearchBackend):
    """Works in an Elasticsearch index behind the alias ``<prefix>-works``."""

    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str = "zhiku"):
        self.client = client
        self.alias = f"{prefix}-works"
        self.pattern = f"{prefix}-works-*"
        self._ready = False

    @classmethod
    def from_url(cls, url: str, app=None) -> "ElasticsearchBackend":
        parts = urlsplit(url)
        prefix = parts.path.strip("/") or "zhiku"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", prefix):
            raise ValueError(f"invalid index prefix {prefix!r} in ZHIKU_SEARCH_URL (lower-case letters, digits, -_.)")
        client = Elasticsearch(f"{parts.scheme}://{parts.netloc}", request_timeout=30, max_retries=2,
                               retry_on_timeout=True)
        return cls(client, prefix)

    # --- index management -----------------------------------------------------------------------------

    def _install_template(self) -> None:
        template = json.loads(MAPPINGS.read_text(encoding="utf-8"))
        self.client.indices.put_index_template(name=self.alias, index_patterns=[self.pattern],
                                               template=template, priority=200)

    def _new_index(self, **settings) -> str:
        self._install_template()
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"
        self.client.indices.create(index=name, settings=settings or None)
        return name

    def _ensure(self) -> None:
        """Create the template, a first index and the alias when the cluster has none yet."""
        if self._ready:
            return
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                name = self._new_index()
                self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc
        self._ready = True

    def _bulk(self, actions: Iterable[dict], progress: Callable[[int], None] | None = None) -> None:
        """Send actions in chunks; a 429 (queue full) backs off and retries instead of failing."""
        done = 0
        for ok, item in helpers.streaming_bulk(self.client, actions, chunk_size=BULK_CHUNK, max_retries=8,
                                               initial_backoff=1, max_backoff=30, raise_on_error=False,
                                               raise_on_exception=True):
            result = next(iter(item.values()))
            if not ok and not (result.get("status") == 404 and "delete" in item):
                raise SearchUnavailable(f"Elasticsearch refused a document: {result.get('error')}")
            done += 1
            if progress and done % BULK_CHUNK == 0:
                progress(BULK_CHUNK)
        if progress and done % BULK_CHUNK:
            progress(done % BULK_CHUNK)

    # --- writing --------------------------------------------------------------------------------------

    def index(self, documents: Sequence[dict]) -> None:
        if not documents:
            return
        self._ensure()
        try:
            self._bulk({"_index": self.alias, "_id": str(d["id"]), "_source": es_document(d)} for d in documents)
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc

    def delete(self, work_ids: Sequence[int]) -> None:
        if not work_ids:
            return
        self._ensure()
        try:
            self._bulk({"_op_type": "delete", "_index": self.alias, "_id": str(i)} for i in work_ids)
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc

    def reindex(self, documents: Iterable[dict], progress: Callable[[int], None] | None = None) -> int:
        count = 0

        def actions(name):
            nonlocal count
            for document in documents:
                count += 1
                yield {"_index": name, "_id": str(document["id"]), "_source": es_document(document)}

        try:
            name = self._new_index(refresh_interval="-1")
            self._bulk(actions(name), progress)
            self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
            self.client.indices.refresh(index=name)
            old = list(self.client.indices.get_alias(name=self.alias, ignore_unavailable=True)) \
                if self.client.indices.exists_alias(name=self.alias) else []
            self.client.indices.update_aliases(actions=[
                *({"remove": {"index": index, "alias": self.alias}} for index in old),
                {"add": {"index": name, "alias": self.alias}}])
            for index in old:
                self.client.indices.delete(index=index, ignore_unavailable=True)
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc
        self._ready = True
        return count

    def refresh(self) -> None:
        self._ensure()
        try:
            self.client.indices.refresh(index=self.alias)
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc

    def check(self) -> None:
        try:
            self.client.cluster.health(timeout="5s")
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc
        self._ensure()

    def drop(self) -> None:
        try:
            if self.client.indices.exists_alias(name=self.alias):
                for index in self.client.indices.get_alias(name=self.alias):
                    self.client.indices.delete(index=index, ignore_unavailable=True)
            self.client.indices.delete_index_template(name=self.alias)
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc
        self._ready = False

    # --- searching ------------------------------------------------------------------------------------

    def search_raw(self, body: dict) -> dict:
        """Send a search body straight to the alias (the benchmark compares this with ``search``)."""
        self._ensure()
        try:
            return self.client.search(index=self.alias, body=body)
        except BadRequestError as exc:  # e.g. a cursor made for another sort order: the caller's mistake
            raise ValueError(f"Elasticsearch refused the request: {exc.message}") from exc
        except FAILURES as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc}") from exc

    def search(self, request: SearchRequest) -> SearchResult:
        answer = self.search_raw(build_body(request))
        raw_hits = answer["hits"]["hits"]
        hits = [Hit(id=int(h["_id"]), score=h["_score"] or 0.0, display=h["_source"]["display"]) for h in raw_hits]
        total = answer["hits"]["total"]["value"]
        facets = {name: sorted_facet((b["key"], b["doc_count"]) for b in agg["buckets"])
                  for name, agg in answer.get("aggregations", {}).items()}
        next_cursor = None
        if raw_hits and len(raw_hits) == request.size and request.offset + len(raw_hits) < total:
            next_cursor = encode_cursor(raw_hits[-1]["sort"])
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def suggest(self, prefix: str, size: int = 10, public_only: bool = True) -> list[tuple[str, int]]:
        from .analysis import normalize

        key = normalize(prefix).strip()
        if not key:
            return []
        pattern = "".join(c if c.isalnum() else "\\" + c for c in key) + ".*"
        public = _public_filters(dt.date.today()) if public_only else []
        body = {"size": 0, "query": {"bool": {"filter": [{"prefix": {"suggest": key}}, *public]}},
                "aggs": {"entries": {"terms": {"field": "suggest", "include": pattern, "size": SUGGEST_SCAN}}}}
        answer = self.search_raw(body)
        buckets = answer["aggregations"]["entries"]["buckets"]
        return rank_suggestions(((b["key"], b["doc_count"]) for b in buckets), size)
