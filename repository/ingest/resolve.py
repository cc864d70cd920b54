"""Stage 2: find the Work a new source record belongs to.

In order: exact identifiers (DOI, WoS UT, EI accession, CNKI filename, ISBN, PMID); then the dedup index
(blocking keys, pair scores): at or above ``ZHIKU_DEDUP_MERGE_THRESHOLD`` the record joins the best Work,
and candidates from ``ZHIKU_DEDUP_REVIEW_THRESHOLD`` up become possible-duplicate tasks once the record's
own Work exists; last, the ``zhiku_resolve_work`` hook of plugins.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..dedup.index import candidates
from ..dedup.matching import Match, Thresholds, describe, rank
from ..dedup.profile import Profile, record_profile
from ..dedup.tasks import file_possible_duplicate
from ..extensions import db
from ..models import Identifier, Work

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


def live_work(work: Work | None) -> Work | None:
    """Follow merged-away tombstones to the Work that carries on."""
    seen = set()
    while work is not None and work.merged_into_id is not None and work.id not in seen:
        seen.add(work.id)
        work = db.session.get(Work, work.merged_into_id)
    return work


@dataclass
class Resolution:
    """The Work a record belongs to (None: a new one), the match that chose it, and grey-zone candidates."""

    work: Work | None
    match: Match | None = None
    possible_duplicates: list[Match] = field(default_factory=list)


def _by_identifier(record: dict) -> Work | None:
    pairs = record_identifiers(record)
    if not pairs:
        return None
    condition = sa.or_(*(sa.and_(Identifier.scheme == s, Identifier.value == v) for s, v in pairs))
    identifier = db.session.execute(sa.select(Identifier).where(condition).limit(1)).scalar_one_or_none()
    return live_work(identifier.work) if identifier is not None else None


def prefetch_candidates(records: list[dict]) -> list[dict[int, Profile]]:
    """The batched candidate lookup for a chunk of records (one query); pass each result to ``resolve``.

    A chunked pipeline must not use a prefetched pool for a record after a Work was created in the same
    chunk that the record may duplicate: look such records up again (``pool=None``).
    """
    return candidates([record_profile(record) for record in records])


def resolve(record: dict, hook, pool: dict[int, Profile] | None = None) -> Resolution:
    """Resolve *record* (identifiers, then scoring, then plugins); never merges two existing Works.

    :param pool: the record's candidates from ``prefetch_candidates``; looked up now when None.
    """
    work = _by_identifier(record)
    if work is not None:
        return Resolution(work)
    thresholds = Thresholds.from_config()
    profile = record_profile(record)
    matches = rank(profile, candidates([profile])[0] if pool is None else pool, thresholds.review)
    best = matches[0] if matches and matches[0].probability >= thresholds.merge else None
    grey = [m for m in matches if m is not best][:MAX_REVIEW_TASKS]
    if best is not None:
        return Resolution(db.session.get(Work, best.work_id), best, grey)
    return Resolution(hook.zhiku_resolve_work(record=record, session=db.session), None, grey)


def file_possible_duplicates(work: Work, resolution: Resolution) -> None:
    """Open a possible-duplicate task between *work* (now flushed) and each grey-zone candidate."""
    for match in resolution.possible_duplicates:
        if match.work_id != work.id:
            file_possible_duplicate(work.id, match.work_id, match.score, describe(match))
