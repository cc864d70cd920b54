"""The SearchBackend interface and the values that cross it (requests, results, errors).

Every backend takes normalized search documents (``search.document``) and parsed queries
(``search.query``) and answers with the same ``SearchResult``; the contract tests in tests/contract run
one suite over all of them.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .query import Node

#: Facets every backend computes, in display order.
FACETS = ("year", "type", "unit", "source", "indexed_in", "jcr_quartile", "language", "status")

#: Sort orders every backend supports.
SORTS = ("relevance", "year_desc", "year_asc")

#: How many values of each facet a result carries (most frequent first).
FACET_SIZE = 30


class SearchUnavailable(Exception):
    """The search server cannot be reached or failed; searches show a message, indexing is retried."""


@dataclass
class SearchRequest:
    """One search: a parsed query, facet filters (OR within a facet, AND across), sort and page.

    ``cursor`` (from a previous result's ``next_cursor``) pages without limit; ``page`` is for the
    first few pages only. ``public_only`` restricts to works anyone may see (verified, not under embargo
    on ``today``).
    """

    query: Node
    filters: dict[str, list[str]] = field(default_factory=dict)
    facets: Sequence[str] = FACETS
    sort: str = "relevance"
    page: int = 1
    size: int = 20
    cursor: str | None = None
    public_only: bool = True
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def offset(self) -> int:
        return 0 if self.cursor else (self.page - 1) * self.size


@dataclass
class Hit:
    """One matching work: its id, relevance score and the display fields stored with the document."""

    id: int
    score: float
    display: dict


@dataclass
class SearchResult:
    """Matching works (one page), the total, facet counts ``{facet: [(value, count)]}`` and the cursor."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str | None = None


def encode_cursor(values: Sequence) -> str:
    """An opaque, URL-safe cursor holding the sort values of the last hit of a page."""
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list:
    """The sort values of *cursor*; raises ValueError when it was not made by ``encode_cursor``."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("invalid cursor") from exc
    if not isinstance(values, list) or len(values) != 2:
        raise ValueError("invalid cursor")
    return values


def sorted_facet(counts: Iterable[tuple[str, int]], size: int = FACET_SIZE) -> list[tuple[str, int]]:
    """Facet values by count, most frequent first, ties by value; the one order every backend returns."""
    return sorted(counts, key=lambda pair: (-pair[1], pair[0]))[:size]


def rank_suggestions(entry_counts: Iterable[tuple[str, int]], size: int) -> list[tuple[str, int]]:
    """Suggestions from ``(entry, works)`` pairs: a text reached by several keys (张三 by zhang and
    zhangsan) counts the works of its best key; most works first."""
    best: dict[str, int] = {}
    for entry, count in entry_counts:
        text = entry.partition("\t")[2]
        best[text] = max(best.get(text, 0), count)
    return sorted_facet(best.items(), size)


class SearchBackend(ABC):
    """A place works are indexed in and searched; chosen by ZHIKU_SEARCH_URL through a hook."""

    #: The name shown in messages and the CLI ("embedded", "elasticsearch").
    name: str = "?"

    @abstractmethod
    def index(self, documents: Sequence[dict]) -> None:
        """Add or replace *documents* (from ``search.document.build_document``)."""

    @abstractmethod
    def delete(self, work_ids: Sequence[int]) -> None:
        """Remove the documents of *work_ids*; ids that are not indexed are ignored."""

    @abstractmethod
    def reindex(self, documents: Iterable[dict], progress: Callable[[int], None] | None = None) -> int:
        """Build a complete new index from *documents*, then swap it in at once; return the count.

        Searches keep answering from the old index until the swap. *progress* is called with the number
        of documents written since the previous call.
        """

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Run *request*; raise SearchUnavailable when the backend cannot answer."""

    @abstractmethod
    def suggest(self, prefix: str, size: int = 10, public_only: bool = True) -> list[tuple[str, int]]:
        """Authors, keywords and venues starting with *prefix* (characters or pinyin), with counts."""

    @abstractmethod
    def refresh(self) -> None:
        """Make every change so far visible to searches (tests and the CLI call it)."""

    @abstractmethod
    def check(self) -> None:
        """Raise SearchUnavailable when the backend cannot serve now."""

    @abstractmethod
    def drop(self) -> None:
        """Remove everything this backend stored (its indices or its database file)."""
