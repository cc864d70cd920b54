"""Stage 2: find the Work a new source record belongs to.

In order: exact identifiers (DOI, WoS UT, EI accession, CNKI filename, ISBN, PMID); then the dedup index
(blocking keys, pair scores): at or above ``ZHIKU_DEDUP_MERGE_THRESHOLD`` the record joins the best Work,
and candidates from ``ZHIKU_DEDUP_REVIEW_THRESHOLD`` up become possible-duplicate tasks once the record's
own Work exists; last, the ``zhiku_resolve_work`` hook of plugins.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..dedup.matching import Match, Thresholds, describe, rank
from ..dedup.profile import Profile
from ..dedup.tasks import file_possible_duplicate
from ..extensions import db
from ..models import Work

if TYPE_CHECKING:
    from .lookups import Lookups

#: Grey-zone candidates filed per record; more would drown curators in one noisy record.
MAX_REVIEW_TASKS = 3


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
    """The Work itself (or by id), or the Work it was merged into (following merged-away tombstones)."""
    if isinstance(work, int):
        work = db.session.get(Work, work)
    seen = set()
    while work is not None and work.merged_into_id is not None and work.id not in seen:
        seen.add(work.id)
        work = db.session.get(Work, work.merged_into_id)
    return work


@dataclass
class Resolution:
    """The Work a record belongs to (None: a new one), the match that chose it, and grey-zone candidates.

    ``profile`` is the record's dedup profile (None when an identifier decided).
    """

    work: Work | None
    match: Match | None = None
    possible_duplicates: list[Match] = field(default_factory=list)
    profile: Profile | None = None


def resolve(record: dict, hook, lookups: "Lookups") -> Resolution:
    """Resolve *record* (identifiers, then scoring, then plugins); never merges two existing Works.

    The candidates are the stored Works sharing a blocking key with the record and the Works created
    earlier in the same chunk (``lookups``), so two descriptions of one paper in one file become one Work.
    """
    owners = lookups.owners(record_identifiers(record))
    owner = next((work for work in owners.values() if work is not None), None)
    if owner is not None:
        return Resolution(live_work(owner))
    thresholds = Thresholds.from_config()
    profile = lookups.profile(record)
    matches = rank(profile, lookups.candidates(record, profile), thresholds.review)
    best = matches[0] if matches and matches[0].probability >= thresholds.merge else None
    grey = [m for m in matches if m is not best][:MAX_REVIEW_TASKS]
    if best is not None:
        return Resolution(lookups.candidate_work(best.work_id), best, grey, profile)
    return Resolution(hook.zhiku_resolve_work(record=record, session=db.session), None, grey, profile)


def file_possible_duplicates(work: Work, resolution: Resolution, lookups: "Lookups") -> None:
    """Open a possible-duplicate task between *work* and each grey-zone candidate (all flushed by now)."""
    for match in resolution.possible_duplicates:
        other = lookups.candidate_work(match.work_id)
        if other is not None and other.id != work.id:
            file_possible_duplicate(work.id, other.id, match.score, describe(match))
