"""Stage 3: build a Work's fields from its source records by source trust, then apply overrides."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from ..dedup.normalize import name_keys
from ..extensions import db
from ..models import Authorship, Identifier, SourceRecord, Venue, Work
from .lookups import Lookups, venue_title_key
from .resolve import record_identifiers

#: Fields taken whole from the most trusted source that has a value.
PRIORITY_FIELDS = (
    "type", "title", "title_alt", "language", "year", "published", "early_access", "volume", "issue", "pages",
    "article_number", "doi", "abstract", "abstract_alt", "keywords", "subjects", "funding", "funding_text",
    "thesis", "conference", "patent",
)
#: Fields a curator or faculty member may override.
OVERRIDABLE_FIELDS = PRIORITY_FIELDS + ("indexed_in",)


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _rank(priority: list[str]):
    order = {source: i for i, source in enumerate(priority)}
    return lambda row: (order.get(row.source, len(order)), row.id)


def field_priority(name: str, priority: list[str]) -> list[str]:
    """The trust order of sources for field *name*: its ``ZHIKU_FIELD_SOURCE_PRIORITY`` entry, then *priority*."""
    first = current_app.config.get("ZHIKU_FIELD_SOURCE_PRIORITY", {}).get(name, [])
    return list(first) + [source for source in priority if source not in first]


def _choose(rows: list[SourceRecord], name: str, priority: list[str]) -> SourceRecord | None:
    """The most trusted current record that has a value for field *name*."""
    having = [row for row in rows if not _empty(row.data.get(name))]
    if len(having) < 2:  # a Work with one source (most of them) needs no ranking
        return having[0] if having else None
    return min(having, key=_rank(field_priority(name, priority)))


def _current_rows(work: Work) -> list[SourceRecord]:
    return db.session.execute(
        sa.select(SourceRecord).filter_by(work_id=work.id, is_current=True, deleted=False)
    ).scalars().all()


def _venue_for(data: dict | None, lookups: Lookups) -> Venue | None:
    if not data or not (data.get("title") or data.get("issn") or data.get("eissn") or data.get("isbn")):
        return None
    venue = lookups.find_venue(data)
    if venue is None:
        venue = Venue(title_key=venue_title_key(data))
        db.session.add(venue)
    for column in ("title", "abbrev", "issn", "eissn", "isbn", "publisher", "cn"):
        if data.get(column) and not getattr(venue, column):
            setattr(venue, column, data[column])
    lookups.remember_venue(venue)
    return venue


def _sync_identifiers(work: Work, rows: list[SourceRecord], lookups: Lookups) -> None:
    have = {(i.scheme, i.value) for i in work.identifiers}
    wanted = {}
    for row in rows:
        for pair in record_identifiers(row.data):
            if pair not in have:
                wanted.setdefault(pair, row.source)
    owners = lookups.owners(list(wanted))
    for (scheme, value), source in wanted.items():
        if owners[(scheme, value)] is None:  # an identifier held by another Work is the dedup stage's business
            work.identifiers.append(Identifier(scheme=scheme, value=value, source=source))
            lookups.remember_owner((scheme, value), work)


def _author_lines(work: Work) -> list[str]:
    return [row.raw_name for row in sorted(work.authorships, key=lambda row: row.position)]


def _same_person_row(by_name: dict, by_position: dict, claimed: set, author: dict) -> Authorship | None:
    """An unclaimed row for *author*: the same raw name, else the same name in another spelling
    (``Zhang, S.`` / ``Zhang San`` / ``张三``) at the same position, so human decisions survive a change of
    the source the author lines come from."""
    row = next((r for r in by_name.get(author["name"], ()) if id(r) not in claimed), None)
    same_position = [r for r in by_position.get(author["position"], ()) if id(r) not in claimed]
    if row is None and same_position:
        keys = set(name_keys(author["name"], author.get("name_original")))
        row = next((r for r in same_position if keys & set(name_keys(r.raw_name, r.name_original))), None)
    return row


def _sync_authorships(work: Work, data: dict) -> None:
    """Make the author lines follow the source, keeping rows (and human decisions) matched by name."""
    affiliations = [a["raw"] for a in data.get("affiliations", [])]
    by_name: dict[str, list[Authorship]] = {}
    by_position: dict[int, list[Authorship]] = {}
    for row in work.authorships:
        by_name.setdefault(row.raw_name, []).append(row)
        by_position.setdefault(row.position, []).append(row)
    claimed: set[int] = set()
    keep = []
    for author in data.get("authors", []):
        row = _same_person_row(by_name, by_position, claimed, author)
        if row is None:
            row = Authorship(raw_name=author["name"])
        else:
            claimed.add(id(row))
            row.raw_name = author["name"]
        row.position = author["position"]
        row.name_original = author.get("name_original")
        row.raw_affiliation = "; ".join(affiliations[i] for i in author.get("affiliations", [])) or None
        row.email = author.get("email")
        row.orcid = author.get("orcid")
        if row.status == "auto" or row.id is None:
            row.is_corresponding = bool(author.get("is_corresponding"))
        keep.append(row)
    work.authorships[:] = keep


def merge_work(work: Work, priority: list[str], rows: list[SourceRecord] | None = None,
               lookups: Lookups | None = None) -> dict:
    """Recompute *work* from its current source records; return ``{field: (before, after)}`` of changes.

    *rows* may be given when the caller knows them (a new Work has only the record that created it);
    otherwise the stored ones are read, after a flush. *lookups* carries a chunk's prefetched answers.
    """
    lookups = lookups or Lookups()
    if rows is None:
        db.session.flush()
        rows = _current_rows(work)
    rows = sorted(rows, key=_rank(priority))
    if not rows:
        return {}
    before = {name: getattr(work, name) for name in OVERRIDABLE_FIELDS}
    before["authors"] = _author_lines(work)
    provenance = {}
    for name in PRIORITY_FIELDS:
        source_row = _choose(rows, name, priority)
        value = source_row.data.get(name) if source_row else None
        if name == "type":
            work.set_type(value)
        else:
            setattr(work, name, value)
        if source_row:
            provenance[name] = source_row.source
    work.indexed_in = sorted({tag for r in rows for tag in r.data.get("indexed_in", [])})
    work.cited_by = {k: v for r in reversed(rows) for k, v in r.data.get("cited_by", {}).items()}
    venue_row = _choose(rows, "venue", priority)
    work.venue = _venue_for(venue_row.data["venue"], lookups) if venue_row else None
    authors_row = _choose(rows, "authors", priority)
    if authors_row:
        _sync_authorships(work, authors_row.data)
        provenance["authors"] = authors_row.source
    _sync_identifiers(work, rows, lookups)
    for override in work.overrides:
        if override.field == "type":
            work.set_type(override.value)
        else:
            setattr(work, override.field, override.value)
        provenance[override.field] = "override"
    work.provenance = provenance
    after = {name: getattr(work, name) for name in OVERRIDABLE_FIELDS}
    after["authors"] = _author_lines(work)
    return {name: (before[name], after[name]) for name in after if before[name] != after[name]}


def field_sources(work: Work, priority: list[str]) -> dict[str, dict]:
    """Where each field of *work* comes from, for the UI and API.

    ``{field: {"source": "wos", "source_id": "WOS:...", "source_record_id": 12, "revision": 2}}`` for a
    value taken from a source record, ``{"source": "override", "override_id": 3}`` for a human override.
    Fields no source has are absent.
    """
    rows = _current_rows(work)
    result = {}
    for name in PRIORITY_FIELDS + ("venue", "authors"):
        row = _choose(rows, name, priority)
        if row is not None:
            result[name] = {"source": row.source, "source_id": row.source_id, "source_record_id": row.id,
                            "revision": row.revision}
    for override in work.overrides:
        result[override.field] = {"source": "override", "override_id": override.id}
    return result
