"""The normalized search document of a Work, and the analysed forms every backend indexes.

``build_document(work)`` is the one place that decides what of a Work is searchable; ``text_fields``,
``facet_values``, ``exact_values`` and ``suggestions`` derive what backends store from it, so the
embedded and the Elasticsearch backend index exactly the same tokens and facet values.
"""
from __future__ import annotations

from collections.abc import Iterable

from . import analysis
from .query import TEXT_FIELDS

#: Subject scheme under which enrichment stores the JCR quartile of a Work's journal (term "Q1".."Q4").
JCR_SCHEME = "jcr_quartile"

#: Display fields kept with each document and returned with every hit.
DISPLAY_FIELDS = ("title", "title_alt", "authors", "venue", "year", "type", "doi", "language", "status")
MAX_DISPLAY_AUTHORS = 20


def _terms(values) -> list[str]:
    terms = []
    for value in values or ():
        term = value.get("term") if isinstance(value, dict) else value
        if term:
            terms.append(str(term))
    return terms


def _unit_chain(unit) -> list:
    return [*unit.ancestors(), unit]


def build_document(work, sources: Iterable[str] | None = None) -> dict:
    """The search document of *work* (authorships, units, venue and identifiers loaded).

    *sources* names the sources of its records; without it they are read from ``work.source_records``.

    Returns plain JSON-able data: display fields, the texts to analyse, facet values and sort keys.
    ``public`` is True for verified, not deleted works; the embargo date is kept apart because it
    depends on the day the search runs.
    """
    units = {}
    for authorship in work.authorships:
        if authorship.org_unit is not None:
            for unit in _unit_chain(authorship.org_unit):
                units[unit.id] = unit
    authors = [a.name_original or a.raw_name for a in work.authorships]
    name_forms = [[a.raw_name, a.name_original] for a in work.authorships]
    identifiers = {analysis.keyword_value(i.value) for i in work.identifiers}
    identifiers |= {f"{i.scheme}:{analysis.keyword_value(i.value)}" for i in work.identifiers}
    venue = work.venue
    subjects = work.subjects or []
    jcr = _terms(s for s in subjects if isinstance(s, dict) and s.get("scheme") == JCR_SCHEME)
    return {
        "id": work.id,
        "title": work.title,
        "title_alt": work.title_alt,
        "abstract": " ".join(filter(None, [work.abstract, work.abstract_alt])),
        "keywords": _terms(work.keywords),
        "authors": authors[:MAX_DISPLAY_AUTHORS],
        "author_names": [[n for n in forms if n] for forms in name_forms],
        "units": [unit.name_zh or "" for unit in units.values()] + [unit.name_en or "" for unit in units.values()]
        + [alias for unit in units.values() for alias in (unit.aliases or [])],
        "unit_ids": sorted(str(unit_id) for unit_id in units),
        "venue": " ".join(filter(None, [venue.title, venue.abbrev])) if venue else None,
        "venue_title": venue.title if venue else None,
        "doi": analysis.keyword_value(work.doi) or None,
        "ids": sorted(identifiers),
        "year": work.year,
        "type": work.type,
        "sources": sorted(set(sources) if sources is not None else {r.source for r in work.source_records}),
        "indexed_in": sorted(set(work.indexed_in or [])),
        "jcr_quartile": jcr[0].upper() if jcr else None,
        "language": work.language,
        "status": work.status,
        "public": work.status == "verified" and not work.deleted,
        "embargo_until": work.embargo_until.isoformat() if work.embargo_until else None,
    }


def indexable(work) -> bool:
    """Whether *work* belongs in the index at all: tombstones (deleted, merged away) do not."""
    return work is not None and not work.deleted and work.merged_into_id is None


def display(document: dict) -> dict:
    """The fields a hit shows (title, authors, venue, year...)."""
    shown = {name: document.get(name) for name in DISPLAY_FIELDS}
    shown["venue"] = document.get("venue_title")
    return shown


def text_fields(document: dict) -> dict[str, str]:
    """Each text field of ``search.query.TEXT_FIELDS`` as whitespace-separated tokens."""
    tokens = {
        "title": analysis.text_tokens(document["title"]) + analysis.text_tokens(document.get("title_alt")),
        "abstract": analysis.text_tokens(document.get("abstract")),
        "keywords": [t for term in document.get("keywords", []) for t in analysis.text_tokens(term)],
        "authors": [t for forms in document.get("author_names", []) for t in _name_tokens(forms)],
        "units": [t for name in document.get("units", []) for t in analysis.text_tokens(name)],
        "venue": analysis.text_tokens(document.get("venue")),
    }
    assert set(tokens) == set(TEXT_FIELDS)
    return {name: " ".join(values) for name, values in tokens.items()}


def _name_tokens(forms: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for form in forms:
        seen.update(dict.fromkeys(analysis.name_tokens(form)))
    return list(seen)


def facet_values(document: dict) -> dict[str, list[str]]:
    """Facet values of the document, as strings (a work may have several units, sources, lists)."""
    def one(value) -> list[str]:
        return [str(value)] if value not in (None, "") else []

    return {
        "year": one(document.get("year")),
        "type": one(document.get("type")),
        "unit": list(document.get("unit_ids", [])),
        "source": list(document.get("sources", [])),
        "indexed_in": list(document.get("indexed_in", [])),
        "jcr_quartile": one(document.get("jcr_quartile")),
        "language": one(document.get("language")),
        "status": one(document.get("status")),
    }


def exact_values(document: dict) -> dict[str, list[str]]:
    """Values matched exactly by ``doi:`` and ``id:`` (and by identifiers typed on their own)."""
    return {"doi": [document["doi"]] if document.get("doi") else [], "ids": list(document.get("ids", []))}


def suggestions(document: dict) -> list[str]:
    """Suggestion entries ``key\\ttext``: authors (also by pinyin), keywords and the venue.

    The key is the normalized text, or for names the pinyin forms too, so 张 and zhang both suggest 张三.
    """
    entries: set[str] = set()
    for name in document.get("authors", []):
        entries.add(f"{analysis.normalize(name)}\t{name}")
        for token in analysis.name_tokens(name):
            if len(token) > 2 and not analysis.is_cjk(token):
                entries.add(f"{token}\t{name}")
    for text in [*document.get("keywords", []), document.get("venue_title")]:
        if text:
            entries.add(f"{analysis.normalize(text)}\t{text}")
    return sorted(entries)


def sort_year(document: dict) -> int:
    """The year sort key: works without a year sort after all others when newest come first."""
    return document.get("year") or 0
