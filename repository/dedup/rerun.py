"""Re-resolution of the whole repository (``zhiku dedup --all``): incremental, resumable, a job.

Two phases, each committed chunk by chunk so an interrupted run loses at most one chunk:

1. index: every live Work without a profile (imported before dedup existed, or bulk-loaded) gets its
   profile and blocking keys from its current source records;
2. check: every profile not yet ``checked`` is compared with its candidates; pairs at or above the merge
   threshold are clustered and merged, grey-zone pairs become possible-duplicate tasks, and the chunk's
   profiles are marked checked. A Work that changed (a merge survivor, a re-imported record) is unchecked
   again, so the next run looks only at what changed; ``full=True`` unchecks everything first (after the
   model or the thresholds changed).

Pairs a curator decided (or that wait for a decision) are never merged or filed again.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import SourceRecord, Work, WorkProfile
from .clustering import cluster
from .curation import fire
from .index import candidates, index_new_works
from .matching import Match, Thresholds, describe, rank
from .merging import Merge, merge_works, pick_survivor
from .profile import Profile
from .tasks import decided_pairs, file_possible_duplicate

CHUNK = 500
ACTOR = "dedup"

Progress = Callable[[str, int, int], None]


@dataclass
class DedupStats:
    """What one run did."""

    indexed: int = 0
    checked: int = 0
    merged: int = 0
    tasks: int = 0

    def summary(self) -> str:
        return (f"{self.indexed} works indexed, {self.checked} checked, {self.merged} merged, "
                f"{self.tasks} possible duplicates filed")


def _live_without_profile():
    return (sa.select(Work.id).where(Work.deleted.is_(False), Work.merged_into_id.is_(None))
            .where(~sa.exists().where(WorkProfile.work_id == Work.id)))


def _index_missing(stats: DedupStats, progress: Progress | None) -> None:
    total = db.session.execute(sa.select(sa.func.count()).select_from(_live_without_profile().subquery())
                               ).scalar_one()
    while True:
        ids = db.session.execute(_live_without_profile().order_by(Work.id).limit(CHUNK)).scalars().all()
        if not ids:
            break
        rows: dict[int, list[SourceRecord]] = {work_id: [] for work_id in ids}
        for row in db.session.execute(sa.select(SourceRecord).where(
                SourceRecord.work_id.in_(ids), SourceRecord.is_current, SourceRecord.deleted.is_(False))).scalars():
            rows[row.work_id].append(row)
        index_new_works(rows)
        db.session.commit()
        stats.indexed += len(ids)
        if progress:
            progress("index", stats.indexed, total)


def _unchecked(limit: int) -> list[tuple[int, Profile]]:
    rows = db.session.execute(sa.select(WorkProfile.work_id, WorkProfile.profile)
                              .where(WorkProfile.checked.is_(False)).order_by(WorkProfile.work_id).limit(limit))
    return [(work_id, Profile.from_json(data)) for work_id, data in rows]


def _live_merges(groups: list[list[int]]) -> list[Merge]:
    """The merges the clustered *groups* call for, among their Works still live (one query)."""
    ids = [work_id for group in groups for work_id in group]
    works = {work.id: work for work in db.session.execute(sa.select(Work).where(
        Work.id.in_(ids), Work.deleted.is_(False), Work.merged_into_id.is_(None))).scalars()}
    live = [[works[work_id] for work_id in group if work_id in works] for group in groups]
    return [pick_survivor(group) for group in live if len(group) > 1]


def _check_chunk(chunk: list[tuple[int, Profile]], thresholds: Thresholds, priority: list[str],
                 stats: DedupStats) -> list:
    ids = [work_id for work_id, _profile in chunk]
    # each pair is scored once per run: a Work meets the Works already checked and those before it in its
    # chunk; the Works still to be checked meet it when their turn comes
    found = candidates([profile for _id, profile in chunk],
                       among=sa.or_(WorkProfile.checked.is_(True), WorkProfile.work_id.in_(ids)))
    in_chunk = set(ids)
    best: dict[frozenset, Match] = {}
    for (work_id, profile), pool in zip(chunk, found):
        later = [other for other in pool if other >= work_id and other in in_chunk]  # itself included
        for match in rank(profile, pool, thresholds.review, exclude=later):
            pair = frozenset((work_id, match.work_id))
            if pair not in best or match.probability > best[pair].probability:
                best[pair] = match
    decided = decided_pairs({w for pair in best for w in pair})
    db.session.execute(sa.update(WorkProfile).where(WorkProfile.work_id.in_(ids)).values(checked=True))

    strong = [(*sorted(pair), m.probability) for pair, m in best.items()
              if m.probability >= thresholds.merge and pair not in decided]
    kept_apart = {pair for pair, status in decided.items() if status != "accepted"}
    merges = _live_merges(cluster(strong, kept_apart))
    events = merge_works(merges, ACTOR, priority)
    merged_into = {other.id: survivor.id for survivor, others in merges for other in others}
    stats.merged += len(merged_into)
    for pair, match in best.items():
        if match.probability >= thresholds.merge and pair not in decided:
            continue
        first, second = (merged_into.get(w, w) for w in sorted(pair))
        if first != second and pair not in decided and file_possible_duplicate(first, second, match.score,
                                                                               describe(match)):
            stats.tasks += 1
    stats.checked += len(chunk)
    return events


def run_dedup(full: bool = False, progress: Progress | None = None,
              report: Callable[[DedupStats], None] | None = None) -> dict:
    """Re-resolve the repository; return the counts (indexed, checked, merged, tasks) as a dict.

    :param full: re-check every Work, not only those changed since the last run.
    :param progress: called as ``progress(phase, done, total)`` after every chunk (inline runs only).
    :param report: called with the final DedupStats (inline runs only).
    """
    thresholds = Thresholds.from_config()
    priority = current_app.config["ZHIKU_SOURCE_PRIORITY"]
    stats = DedupStats()
    if full:
        db.session.execute(sa.update(WorkProfile).values(checked=False))
        db.session.commit()
    _index_missing(stats, progress)
    total = db.session.execute(sa.select(sa.func.count()).where(WorkProfile.checked.is_(False))).scalar_one()
    while chunk := _unchecked(CHUNK):
        with db.session.no_autoflush:  # the stages flush when they need to; autoflush costs a flush per query
            events = _check_chunk(chunk, thresholds, priority, stats)
        db.session.commit()
        fire(events)
        if progress:
            progress("check", stats.checked, max(total, stats.checked))
    if report:
        report(stats)
    return asdict(stats)
