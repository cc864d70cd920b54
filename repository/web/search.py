"""The search page and the JSON search API; thin views over ``search.service``.

Anonymous visitors (and signed-in users without the curator role) search public works only: verified,
not deleted, not under embargo, as on the public work page. Bad queries answer 400 with the parser's
message, a search server that is down answers 503 with "search unavailable"; never a 500.
"""
from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from search.backend import FACETS, SearchUnavailable
from search.query import QuerySyntaxError
from search.service import build_request, get_backend, search_works
from search.units import unit_tree

from ..schemas.search import SearchErrorSchema, SuggestionSchema, dump_search_response
from .access import public
from .labels import facet_label, value_labels

bp = Blueprint("search", __name__)
log = logging.getLogger(__name__)

_error_schema = SearchErrorSchema()
_suggestion_schema = SuggestionSchema(many=True)


def _public_only() -> bool:
    user = g.get("user")
    return not (user is not None and user.has_role("curator"))


def _filters() -> dict[str, list[str]]:
    return {facet: request.args.getlist(facet) for facet in FACETS if request.args.getlist(facet)}


def _run():
    """Parse the request's arguments and search; return (result, search_request) or raise."""
    search_request = build_request(
        request.args.get("q", ""), _filters(), request.args.get("sort"), request.args.get("page", 1, type=int),
        request.args.get("size", 20, type=int), request.args.get("cursor") or None, _public_only())
    return search_works(search_request), search_request


def _facets(result, labels: dict[str, dict[str, str]]) -> dict[str, list[dict]]:
    """Facet values with labels (from ``value_labels()``); the unit facet as a tree of named units."""
    facets = {}
    for name, counts in result.facets.items():
        if name == "unit":
            facets[name] = [{"value": str(u.id), "count": u.count, "label": u.name,
                             "parent": str(u.parent_id) if u.parent_id else None} for u in unit_tree(counts)]
        else:
            shown = labels.get(name, {})
            facets[name] = [{"value": value, "count": count, "label": shown.get(value, value), "parent": None}
                            for value, count in counts]
    return facets


def _hit(hit, type_labels: dict[str, str]) -> dict:
    work_type = hit.display.get("type") or ""
    return {**hit.display, "id": hit.id, "score": hit.score, "url": url_for("public.work", work_id=hit.id),
            "type_label": type_labels.get(work_type, work_type)}


def _shown(result) -> tuple[list[dict], dict[str, list[dict]]]:
    """The hits and facets of *result* as the page and the API show them, labelled in the reader's language."""
    labels = value_labels()
    return [_hit(h, labels["type"]) for h in result.hits], _facets(result, labels)


def _toggle_url(facet: str, value: str) -> str:
    """This search with *value* of *facet* added to the filters, or removed when already there."""
    args = request.args.copy()
    args.pop("page", None)
    args.pop("cursor", None)
    values = args.getlist(facet)
    args.setlist(facet, [v for v in values if v != value] if value in values else [*values, value])
    return url_for("search.page", **args.to_dict(flat=False))


def _page_url(number: int) -> str:
    args = request.args.copy()
    args["page"] = str(number)
    return url_for("search.page", **args.to_dict(flat=False))


def _error(kind: str, message: str, status: int, position: int | None = None):
    return jsonify(_error_schema.dump({"error": kind, "message": message, "position": position})), status


def unavailable_message() -> str:
    return _("Search is unavailable right now; please try again later.")


@bp.get("/search")
@public
def page():
    """The search page: a query box, facets to narrow down, results with a pager."""
    q = request.args.get("q", "")
    context = {"q": q, "filters": _filters(), "sort": request.args.get("sort") or "relevance",
               "facet_label": facet_label, "toggle_url": _toggle_url, "page_url": _page_url, "result": None, "hits": [], "facets": {}, "error": None}
    try:
        result, search_request = _run()
    except QuerySyntaxError as exc:
        return render_template("search.html", **(context | {"error": str(exc.message)})), 400
    except ValueError as exc:
        error = _("Invalid search: %(reason)s", reason=exc)
        return render_template("search.html", **(context | {"error": error})), 400
    except SearchUnavailable as exc:
        log.warning("search unavailable: %s", exc)
        return render_template("search.html", **(context | {"error": unavailable_message()})), 503
    pages = min((result.total + search_request.size - 1) // search_request.size, 10_000 // search_request.size)
    hits, facets = _shown(result)
    return render_template("search.html", **(context | {
        "result": result, "hits": hits, "facets": facets,
        "page": search_request.page, "pages": pages}))


@bp.get("/api/search")
@public
def api():
    """JSON search: ``q``, facet filters (``type=...&year=...``), ``sort``, ``page``/``size`` or ``cursor``."""
    try:
        result, search_request = _run()
    except QuerySyntaxError as exc:
        return _error("invalid_query", str(exc.message), 400, exc.position)
    except ValueError as exc:
        return _error("invalid_request", str(exc), 400)
    except SearchUnavailable as exc:
        log.warning("search unavailable: %s", exc)
        return _error("search_unavailable", unavailable_message(), 503)
    hits, facets = _shown(result)
    return jsonify(dump_search_response({
        "query": request.args.get("q", ""), "filters": search_request.filters, "sort": search_request.sort,
        "total": result.total, "page": None if search_request.cursor else search_request.page,
        "size": search_request.size, "next_cursor": result.next_cursor,
        "hits": hits, "facets": facets}))


@bp.get("/api/search/suggest")
@public
def suggest():
    """Completions for ``q`` (authors by characters or pinyin, keywords, venues), most used first."""
    prefix = request.args.get("q", "")[:100]
    size = min(max(request.args.get("size", 10, type=int), 1), 50)
    try:
        found = get_backend().suggest(prefix, size=size, public_only=_public_only())
    except SearchUnavailable as exc:
        log.warning("search unavailable: %s", exc)
        return _error("search_unavailable", unavailable_message(), 503)
    return jsonify(_suggestion_schema.dump([{"text": text, "count": count} for text, count in found]))
