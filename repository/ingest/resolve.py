"""Stage 2: find the Work a new source record belongs to (exact identifiers first, then plugins)."""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Identifier, Work


def record_identifiers(record: dict) -> list[tuple[str, str]]:
    """Every (scheme, value) a canonical record carries, DOI first."""
    pairs = []
    if record.get("doi"):
        pairs.append(("doi", record["doi"]))
    pairs.extend((scheme, value) for scheme, value in sorted(record.get("identifiers", {}).items()) if value)
    venue = record.get("venue") or {}
    if record.get("type") in ("book", "report") and venue.get("isbn"):
        pairs.append(("isbn", venue["isbn"]))
    return pairs


def _live(work: Work | None) -> Work | None:
    """Follow merged-away tombstones to the Work that carries on."""
    seen = set()
    while work is not None and work.merged_into_id is not None and work.id not in seen:
        seen.add(work.id)
        work = db.session.get(Work, work.merged_into_id)
    return work


def resolve_work(record: dict, hook) -> Work | None:
    """The existing Work for *record*, or None when it describes a work not yet in the repository."""
    pairs = record_identifiers(record)
    if pairs:
        condition = sa.or_(*(sa.and_(Identifier.scheme == s, Identifier.value == v) for s, v in pairs))
        identifier = db.session.execute(sa.select(Identifier).where(condition).limit(1)).scalar_one_or_none()
        if identifier is not None:
            return _live(identifier.work)
    return hook.zhiku_resolve_work(record=record, session=db.session)
