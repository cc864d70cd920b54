"""Stage 2: find the Work a new source record belongs to (exact identifiers first, then plugins)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..extensions import db
from ..models import Work

if TYPE_CHECKING:
    from .lookups import Lookups


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


def live_work(work: Work | int | None) -> Work | None:
    """The Work itself, or the Work it was merged into (following merged-away tombstones)."""
    if isinstance(work, int):
        work = db.session.get(Work, work)
    seen = set()
    while work is not None and work.merged_into_id is not None and work.id not in seen:
        seen.add(work.id)
        work = db.session.get(Work, work.merged_into_id)
    return work


def resolve_work(record: dict, hook, lookups: "Lookups") -> Work | None:
    """The existing Work for *record*, or None when it describes a work not yet in the repository."""
    owners = lookups.owners(record_identifiers(record))
    owner = next((work for work in owners.values() if work is not None), None)
    if owner is not None:
        return live_work(owner)
    return hook.zhiku_resolve_work(record=record, session=db.session)
