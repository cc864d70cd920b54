"""The dedup index: each live Work's profile and blocking keys, and the candidate lookup over them.

``index_works`` runs after a Work was merged from its source records and flushed (the pipeline calls it
once per chunk, the merge and split services for their Works); ``candidates`` answers "which
Works share a blocking key with these profiles" for a whole list of profiles in one query, so a chunked
pipeline or the re-resolution job pays one round trip per chunk, not per record.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import SourceRecord, Work, WorkKey, WorkProfile
from .blocking import blocking_keys
from .profile import Profile, combine, record_profile

#: Bound parameters per candidate query; SQLite allows 32,766 and PostgreSQL 65,535.
_MAX_PARAMETERS = 5000


def work_profile(rows: Iterable[SourceRecord]) -> Profile:
    """The profile of a Work from its current source records."""
    return combine([record_profile(row.data) for row in rows])


def index_new_works(rows_by_work: dict[int, list[SourceRecord]]) -> None:
    """Store profiles and keys of Works that have none yet, in two bulk statements.

    Core inserts into the tables: the ORM's bulk insert would inspect each of the many key rows.
    """
    profiles, keys = [], []
    for work_id, rows in rows_by_work.items():
        profile = work_profile(rows)
        profiles.append({"work_id": work_id, "profile": profile.to_json(), "checked": False})
        keys.extend({"key": key, "work_id": work_id} for key in blocking_keys(profile))
    if profiles:
        db.session.execute(sa.insert(WorkProfile.__table__), profiles)
    if keys:
        db.session.execute(sa.insert(WorkKey.__table__), keys)


def index_works(work_ids: Iterable[int]) -> None:
    """Bring the profiles and keys of *work_ids* up to date with their current source records (after a flush).

    Works without a profile are indexed in bulk; Works that have one are rewritten only where it changed
    (and become unchecked, so ``zhiku dedup --all`` looks at them again); a Work left without live source
    records, withdrawn or merged away, leaves the index. A few statements for the whole list.
    """
    work_ids = sorted(set(work_ids))
    if not work_ids:
        return
    rows_by_work: dict[int, list[SourceRecord]] = {}
    for row in db.session.execute(sa.select(SourceRecord).join(Work, Work.id == SourceRecord.work_id).where(
            SourceRecord.work_id.in_(work_ids), SourceRecord.is_current.is_(True),
            SourceRecord.deleted.is_(False), Work.deleted.is_(False), Work.merged_into_id.is_(None))).scalars():
        rows_by_work.setdefault(row.work_id, []).append(row)
    stored = {profile.work_id: profile for profile in db.session.execute(
        sa.select(WorkProfile).where(WorkProfile.work_id.in_(work_ids))).scalars()}
    index_new_works({work_id: rows for work_id, rows in rows_by_work.items() if work_id not in stored})
    drop_index([work_id for work_id in stored if work_id not in rows_by_work])
    _rewrite_changed({work_id: (stored[work_id], rows) for work_id, rows in rows_by_work.items()
                      if work_id in stored})


def _rewrite_changed(indexed: dict[int, tuple[WorkProfile, list[SourceRecord]]]) -> None:
    """Rewrite the stored profiles (unchecked again) and keys of the Works whose profile changed."""
    changed: dict[int, Profile] = {}
    for work_id, (stored, rows) in indexed.items():
        profile = work_profile(rows)
        data = profile.to_json()
        if stored.profile != data:
            stored.profile, stored.checked = data, False
            changed[work_id] = profile
    if not changed:
        return
    have: dict[int, set[str]] = {work_id: set() for work_id in changed}
    for key, work_id in db.session.execute(sa.select(WorkKey.key, WorkKey.work_id)
                                           .where(WorkKey.work_id.in_(list(changed)))):
        have[work_id].add(key)
    stale, new = [], []
    for work_id, profile in changed.items():
        wanted = set(blocking_keys(profile))
        stale.extend({"w": work_id, "k": key} for key in sorted(have[work_id] - wanted))
        new.extend({"key": key, "work_id": work_id} for key in sorted(wanted - have[work_id]))
    table = WorkKey.__table__
    if stale:
        db.session.execute(sa.delete(table).where(table.c.work_id == sa.bindparam("w"),
                                                  table.c.key == sa.bindparam("k")), stale)
    if new:
        db.session.execute(sa.insert(table), new)


def drop_index(work_ids: Iterable[int]) -> None:
    """Forget the profiles and keys of Works that stopped being live (merged away, withdrawn)."""
    work_ids = list(work_ids)
    if work_ids:
        db.session.execute(sa.delete(WorkKey).where(WorkKey.work_id.in_(work_ids)))
        db.session.execute(sa.delete(WorkProfile).where(WorkProfile.work_id.in_(work_ids)))


def candidates(profiles: list[Profile], max_block: int | None = None,
               among: sa.ColumnElement[bool] | None = None) -> list[dict[int, Profile]]:
    """For each profile, the Works (not withdrawn) sharing one of its blocking keys: ``{work_id: profile}``.

    Keys held by more than *max_block* Works (default ``ZHIKU_DEDUP_MAX_BLOCK``) are ignored. *among*, a
    condition on ``WorkProfile``, leaves out the Works whose stored profile does not meet it (they still
    count in the block sizes). Two queries per chunk of keys (the block sizes, then the Works of the usable
    blocks), then one per chunk of Works for their profiles, each read once.
    """
    max_block = max_block or current_app.config["ZHIKU_DEDUP_MAX_BLOCK"]
    wanted = [set(blocking_keys(profile)) for profile in profiles]
    all_keys = sorted(set().union(*wanted)) if wanted else []
    found: dict[str, list[int]] = {}
    for start in range(0, len(all_keys), _MAX_PARAMETERS):
        chunk = all_keys[start:start + _MAX_PARAMETERS]
        # block sizes first (an index-only scan), so a purged block's rows are never read
        sizes = db.session.execute(sa.select(WorkKey.key, sa.func.count()).where(WorkKey.key.in_(chunk))
                                   .group_by(WorkKey.key))
        usable = [key for key, size in sizes if size <= max_block]
        if not usable:
            continue
        for key, work_id in db.session.execute(sa.select(WorkKey.key, WorkKey.work_id)
                                               .where(WorkKey.key.in_(usable))):
            found.setdefault(key, []).append(work_id)
    # each profile read (and decoded) once, however many keys its Work shares with the chunk
    loaded = _profiles(sorted({work_id for work_ids in found.values() for work_id in work_ids}), among)
    # withdrawn Works keep their index rows until re-resolution drops them; asked separately, because a join
    # with work lets SQLite's planner walk the whole table by its `deleted` index
    for work_id in _withdrawn(list(loaded)):
        del loaded[work_id]
    return [{work_id: loaded[work_id] for key in keys for work_id in found.get(key, ()) if work_id in loaded}
            for keys in wanted]


def _profiles(work_ids: list[int], among: sa.ColumnElement[bool] | None) -> dict[int, Profile]:
    loaded = {}
    for start in range(0, len(work_ids), _MAX_PARAMETERS):
        query = (sa.select(WorkProfile.work_id, WorkProfile.profile)
                 .where(WorkProfile.work_id.in_(work_ids[start:start + _MAX_PARAMETERS])))
        for work_id, data in db.session.execute(query if among is None else query.where(among)):
            loaded[work_id] = Profile.from_json(data)
    return loaded


def _withdrawn(work_ids: list[int]) -> set[int]:
    result = set()
    for start in range(0, len(work_ids), _MAX_PARAMETERS):
        chunk = work_ids[start:start + _MAX_PARAMETERS]
        result.update(db.session.execute(sa.select(Work.id).where(Work.id.in_(chunk), Work.deleted.is_(True)))
                      .scalars())
    return result
