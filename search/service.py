"""The search service: picks the backend for ZHIKU_SEARCH_URL and runs searches for the web and API.

Views stay thin: they hand the raw query string, filters and paging here and get back a
``SearchResult``, a ``QuerySyntaxError`` to show, or ``SearchUnavailable``; ``search.units`` names the
units of the unit facet.
"""
from __future__ import annotations

from flask import current_app

from repository.models import utcnow
from repository.plugins import plugins

from .backend import FACETS, SORTS, SearchBackend, SearchRequest, SearchResult, SearchUnavailable
from .query import parse_query

MAX_SIZE = 100
MAX_OFFSET = 10_000  # deeper pages go by cursor (Elasticsearch's max_result_window)
EXTENSION_KEY = "zhiku.search"


def scheme_of(url: str | None) -> str:
    """The backend scheme of a ZHIKU_SEARCH_URL: ``embedded`` for an empty URL or ``embedded``."""
    url = (url or "").strip()
    if not url:
        return "embedded"
    return url.split("://", 1)[0].lower() if "://" in url else url.lower()


def available_backends(app) -> dict:
    """``{scheme: factory}`` from every enabled plugin's ``zhiku_search_backends`` hook."""
    found: dict = {}
    for offered in plugins(app).hook.zhiku_search_backends():
        for scheme, factory in (offered or {}).items():
            if scheme in found:
                raise RuntimeError(f"two plugins provide the search backend scheme {scheme!r}")
            found[scheme] = factory
    return found


def get_backend(app=None) -> SearchBackend:
    """The application's search backend, created on first use; SearchUnavailable if none fits the URL."""
    app = app or current_app._get_current_object()
    backend = app.extensions.get(EXTENSION_KEY)
    if backend is None:
        url = app.config.get("ZHIKU_SEARCH_URL") or "embedded"
        factories = available_backends(app)
        scheme = scheme_of(url)
        if scheme not in factories:
            known = ", ".join(sorted(factories)) or "none (is the search plugin disabled?)"
            raise SearchUnavailable(f"no search backend for ZHIKU_SEARCH_URL scheme {scheme!r} (available: {known})")
        backend = app.extensions[EXTENSION_KEY] = factories[scheme](url, app)
    return backend


def build_request(q: str | None, filters: dict[str, list[str]] | None = None, sort: str | None = None,
                  page: int = 1, size: int = 20, cursor: str | None = None,
                  public_only: bool = True) -> SearchRequest:
    """Parse and check a search; raises QuerySyntaxError or ValueError with a message a user can read."""
    node = parse_query(q)
    sort = sort or "relevance"
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (use one of {', '.join(SORTS)})")
    unknown = set(filters or {}) - set(FACETS)
    if unknown:
        raise ValueError(f"unknown filter {', '.join(sorted(unknown))} (filters: {', '.join(FACETS)})")
    size = min(max(size, 1), MAX_SIZE)
    page = max(page, 1)
    if not cursor and (page - 1) * size >= MAX_OFFSET:
        raise ValueError(f"pages beyond result {MAX_OFFSET} are reached with the cursor")
    return SearchRequest(query=node, filters={k: list(v) for k, v in (filters or {}).items() if v},
                         sort=sort, page=page, size=size, cursor=cursor, public_only=public_only,
                         today=utcnow().date())


def search_works(request: SearchRequest) -> SearchResult:
    """Run *request* on the application's backend; a bad cursor is a ValueError."""
    return get_backend().search(request)
