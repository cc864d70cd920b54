"""The search service: picks the backend for ZHIKU_SEARCH_URL and runs searches for the web and API.

Views stay thin: they hand the raw query string, filters and paging here and get back a
``SearchResult`` (with the unit facet turned into a tree of named units), a ``QuerySyntaxError`` to show,
or ``SearchUnavailable``.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from repository.extensions import db
from repository.models import OrgUnit, utcnow
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


@dataclass
class UnitFacet:
    """A unit in the unit facet: its count, name and parent (None at the top of the shown tree)."""

    id: int
    name: str
    parent_id: int | None
    count: int


def unit_tree(counts: list[tuple[str, int]]) -> list[UnitFacet]:
    """Name the counted unit ids and link each to its parent when the parent is counted too."""
    ids = [int(value) for value, _count in counts if value.isdigit()]
    if not ids:
        return []
    # plain rows, not ORM objects: this runs on every search
    rows = db.session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name_zh, OrgUnit.name_en,
                                        OrgUnit.code).where(OrgUnit.id.in_(ids)))
    units = {row.id: row for row in rows}
    tree = []
    for value, count in counts:
        unit = units.get(int(value)) if value.isdigit() else None
        if unit is not None:
            parent = unit.parent_id if unit.parent_id in units else None
            tree.append(UnitFacet(unit.id, OrgUnit.label(unit.name_zh, unit.name_en, unit.code, unit.id), parent,
                                  count))
    return tree


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
