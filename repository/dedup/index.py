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


def index_work(work_id: int, rows: list[SourceRecord]) -> Profile:
    """Store the profile and blocking keys of a Work (built from its current *rows*); return the profile.

    The stored profile becomes unchecked when it changed, so ``zhiku dedup --all`` looks at the Work again.
    """
    profile = work_profile(rows)
    data = profile.to_json()
    stored = db.session.get(WorkProfile, work_id)
    if stored is None:
        db.session.add(WorkProfile(work_id=work_id, profile=data, checked=False))
        have = set()
    elif stored.profile != data:
        stored.profile, stored.checked = data, False
        have = set(db.session.execute(sa.select(WorkKey.key).filter_by(work_id=work_id)).scalars())
    else:
        return profile
    wanted = set(blocking_keys(profile))
    if have - wanted:
        db.session.execute(sa.delete(WorkKey).where(WorkKey.work_id == work_id, WorkKey.key.in_(have - wanted)))
    if wanted - have:
        db.session.execute(sa.insert(WorkKey), [{"key": key, "work_id": work_id} for key in sorted(wanted - have)])
    return profile


def index_new_works(rows_by_work: dict[int, list[SourceRecord]]) -> None:
    """Store profiles and keys of Works that have none yet, in two bulk statements."""
    profiles, keys = [], []
    for work_id, rows in rows_by_work.items():
        profile = work_profile(rows)
        profiles.append({"work_id": work_id, "profile": profile.to_json(), "checked": False})
        keys.extend({"key": key, "work_id": work_id} for key in blocking_keys(profile))
    if profiles:
        db.session.execute(sa.insert(WorkProfile), profiles)
    if keys:
        db.session.execute(sa.insert(WorkKey), keys)


def index_works(work_ids: Iterable[int]) -> None:
    """Bring the profiles and keys of *work_ids* up to date with their current source records (after a flush).

    Works without a profile are indexed in bulk; Works that have one are rewritten only where it changed;
    a Work left without live source records, withdrawn or merged away, leaves the index.
    """
    work_ids = sorted(set(work_ids))
    if not work_ids:
        return
    rows_by_work: dict[int, list[SourceRecord]] = {}
    for row in db.session.execute(sa.select(SourceRecord).join(Work, Work.id == SourceRecord.work_id).where(
            SourceRecord.work_id.in_(work_ids), SourceRecord.is_current.is_(True),
            SourceRecord.deleted.is_(False), Work.deleted.is_(False), Work.merged_into_id.is_(None))).scalars():
        rows_by_work.setdefault(row.work_id, []).append(row)
    indexed = set(db.session.execute(
        sa.select(WorkProfile.work_id).where(WorkProfile.work_id.in_(work_ids))).scalars())
    index_new_works({work_id: rows for work_id, rows in rows_by_work.items() if work_id not in indexed})
    for work_id in work_ids:
        if work_id not in rows_by_work:
            if work_id in indexed:
                drop_index(work_id)
        elif work_id in indexed:
            index_work(work_id, rows_by_work[work_id])


def drop_index(work_id: int) -> None:
    """Forget the profile and keys of a Work that stopped being live (merged away, withdrawn)."""
    db.session.execute(sa.delete(WorkKey).where(WorkKey.work_id == work_id))
    db.session.execute(sa.delete(WorkProfile).where(WorkProfile.work_id == work_id))


def candidates(profiles: list[Profile], max_block: int | None = None) -> list[dict[int, Profile]]:
    """For each profile, the Works (not withdrawn) sharing one of its blocking keys: ``{work_id: profile}``.

    Keys held by more than *max_block* Works (default ``ZHIKU_DEDUP_MAX_BLOCK``) are ignored. Two queries
    per chunk of keys: the block sizes, then the rows and profiles of the usable blocks.
    """
    max_block = max_block or current_app.config["ZHIKU_DEDUP_MAX_BLOCK"]
    wanted = [set(blocking_keys(profile)) for profile in profiles]
    all_keys = sorted(set().union(*wanted)) if wanted else []
    found: dict[str, list[int]] = {}
    loaded: dict[int, Profile] = {}
    for start in range(0, len(all_keys), _MAX_PARAMETERS):
        chunk = all_keys[start:start + _MAX_PARAMETERS]
        # block sizes first (an index-only scan), so a purged block's rows are never read
        sizes = db.session.execute(sa.select(WorkKey.key, sa.func.count()).where(WorkKey.key.in_(chunk))
                                   .group_by(WorkKey.key))
        usable = [key for key, size in sizes if size <= max_block]
        if not usable:
            continue
        query = (sa.select(WorkKey.key, WorkKey.work_id, WorkProfile.profile)
                 .join(WorkProfile, WorkProfile.work_id == WorkKey.work_id).where(WorkKey.key.in_(usable)))
        for key, work_id, data in db.session.execute(query):
            found.setdefault(key, []).append(work_id)
            if work_id not in loaded:
                loaded[work_id] = Profile.from_json(data)
    # withdrawn Works keep their index rows until re-resolution drops them; asked separately, because a join
    # with work lets SQLite's planner walk the whole table by its `deleted` index
    withdrawn = _withdrawn(list(loaded))
    return [{work_id: loaded[work_id] for key in keys for work_id in found.get(key, ()) if work_id not in withdrawn}
            for keys in wanted]


def _withdrawn(work_ids: list[int]) -> set[int]:
    result = set()
    for start in range(0, len(work_ids), _MAX_PARAMETERS):
        chunk = work_ids[start:start + _MAX_PARAMETERS]
        result.update(db.session.execute(sa.select(Work.id).where(Work.id.in_(chunk), Work.deleted.is_(True)))
                      .scalars())
    return result
