"""A match profile: what the dedup scorer compares about a record or a Work, already normalized.

A record's profile is built from its canonical fields; a Work's profile is the union of the profiles of
its current source records (every title variant, every year, every venue...), so a new record is compared
with every way the sources have described the Work. Profiles are stored as JSON (``WorkProfile``) so that
scoring a candidate needs no other query.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..identifiers import normalize_doi, normalize_issn
from .normalize import bare_title, fold, name_keys, page_marks

#: Identifier schemes that name one record in one source: two different values mean two different works.
UNIQUE_SCHEMES = ("doi", "wos_ut", "ei_accession", "cnki_filename", "pmid", "scopus_eid")


@dataclass
class Profile:
    """The normalized, comparable fields of one record or of one Work (the union of its records)."""

    titles: list[str] = field(default_factory=list)
    authors: list[list[str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    issns: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    ids: dict[str, list[str]] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """A JSON-ready dict without empty fields."""
        return {k: v for k, v in asdict(self).items() if v}

    @classmethod
    def from_json(cls, data: dict) -> "Profile":
        return cls(**data)


def _add(values: list, value) -> None:
    if value not in (None, "") and value not in values:
        values.append(value)


def record_profile(record: dict) -> Profile:
    """The profile of one canonical record (ImportRecord fields)."""
    profile = Profile()
    for title in (record.get("title"), record.get("title_alt")):
        _add(profile.titles, fold(title))
        _add(profile.titles, bare_title(title))
    for author in record.get("authors") or []:
        keys = name_keys(author.get("name"), author.get("name_original"))
        if keys:
            profile.authors.append(list(keys))
    _add(profile.years, record.get("year"))
    venue = record.get("venue") or {}
    for name in (venue.get("title"), venue.get("abbrev")):
        _add(profile.venues, fold(name))
    for issn in (venue.get("issn"), venue.get("eissn")):
        _add(profile.issns, normalize_issn(issn) if issn else None)
    _add(profile.volumes, fold(record.get("volume")))
    for mark in page_marks(record.get("pages"), record.get("article_number")):
        _add(profile.pages, mark)
    identifiers = dict(record.get("identifiers") or {})
    if record.get("doi"):
        identifiers["doi"] = normalize_doi(record["doi"]) or record["doi"].lower()
    for scheme in UNIQUE_SCHEMES:
        if identifiers.get(scheme):
            profile.ids[scheme] = [str(identifiers[scheme]).strip().lower()]
    _add(profile.types, record.get("type"))
    return profile


def combine(profiles: list[Profile]) -> Profile:
    """The profile of a Work from its records' profiles; authors come from the fullest author list."""
    work = Profile()
    for profile in profiles:
        for name in ("titles", "years", "venues", "issns", "volumes", "pages", "types"):
            for value in getattr(profile, name):
                _add(getattr(work, name), value)
        for scheme, values in profile.ids.items():
            for value in values:
                _add(work.ids.setdefault(scheme, []), value)
        if len(profile.authors) > len(work.authors):
            work.authors = profile.authors
    return work
