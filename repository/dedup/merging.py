"""Merging two Works into one, and splitting a source record out of a Work.

Both change the session only; the caller commits and then fires the events these functions return
(``zhiku_works_merged`` and ``zhiku_works_saved`` must never announce an uncommitted change).

A merge keeps everything of value on the survivor: every SourceRecord (all revisions), every identifier,
the human decisions on author lines, the overrides, collection memberships and curation history. The
other Work stays as a tombstone (``deleted``, ``merged_into_id``) so its URL and OAI identifier still
resolve. A split moves one source record (all its revisions) into a Work of its own and records the pair
as kept apart, so neither the pipeline nor ``zhiku dedup --all`` ever joins them again.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..ingest.lookups import Lookups
from ..ingest.merge import merge_work
from ..ingest.resolve import record_identifiers
from ..models import (Authorship, CurationTask, FieldOverride, Identifier, SourceRecord, Work, collection_work,
                      record_audit, record_audits, touch_works, utcnow)
from .index import drop_index, index_works
from .normalize import name_keys
from .tasks import pair_key

Event = tuple[str, dict]
#: A survivor and the Works merged into it.
Merge = tuple[Work, list[Work]]

_DECISION_FIELDS = ("person_id", "org_unit_id", "status", "confidence", "is_corresponding")
#: Merges per repointing statement (three bound parameters each, far below SQLite's 32,766).
_REPOINT_SLICE = 2000


class MergeError(ValueError):
    """The requested merge or split is impossible (same Work, a tombstone, the only source record)."""


def pick_survivor(works: Iterable[Work]) -> Merge:
    """(survivor, the others by id): a verified Work outlives candidate ones; otherwise the oldest survives."""
    survivor, *others = sorted(works, key=lambda w: (w.status != "verified", w.id))
    return survivor, sorted(others, key=lambda w: w.id)


def _move_decisions(survivor: Work, other: Work) -> list[str]:
    """Copy human author-line decisions of *other* onto the survivor's matching auto rows."""
    moved = []
    rows = {row.position: row for row in survivor.authorships}
    for row in other.authorships:
        if row.status == "auto" and row.person_id is None:
            continue
        target = rows.get(row.position)
        if target is None or target.status != "auto":
            continue
        if not set(name_keys(row.raw_name, row.name_original)) & set(name_keys(target.raw_name,
                                                                               target.name_original)):
            continue
        for name in _DECISION_FIELDS:
            setattr(target, name, getattr(row, name))
        moved.append(f"{row.position}:{row.raw_name}")
    return moved


def _move_overrides(survivor: Work, other: Work) -> list[str]:
    """Give the survivor the overrides of *other* for fields it has none for; return those fields."""
    fields = {override.field for override in survivor.overrides}
    moved = []
    for override in list(other.overrides):
        if override.field not in fields:
            override.work = survivor
            moved.append(override.field)
    return moved


def _move_collections(survivor: Work, other: Work) -> None:
    in_collections = sa.select(collection_work.c.collection_id).where(collection_work.c.work_id == survivor.id)
    db.session.execute(sa.update(collection_work).where(collection_work.c.work_id == other.id,
                                                        collection_work.c.collection_id.not_in(in_collections))
                       .values(work_id=survivor.id))
    db.session.execute(sa.delete(collection_work).where(collection_work.c.work_id == other.id))


def _repoint_tasks(survivor: Work, other: Work) -> None:
    """Curation history follows the survivor; the pair's own open task is settled by the merge."""
    for column in (CurationTask.work_id, CurationTask.other_work_id):
        db.session.execute(sa.update(CurationTask).where(column == other.id, CurationTask.kind == "attribution")
                           .values({column.key: survivor.id}))
    tasks = db.session.execute(sa.select(CurationTask).where(
        CurationTask.kind == "possible_duplicate",
        sa.or_(CurationTask.work_id == other.id, CurationTask.other_work_id == other.id))).scalars().all()
    for task in tasks:
        if {task.work_id, task.other_work_id} == {survivor.id, other.id}:
            if task.is_open:
                task.decide("accepted", "merge")
            continue
        partner = task.other_work_id if task.work_id == other.id else task.work_id
        task.work_id, task.other_work_id = sorted((survivor.id, partner))
        task.subject_key = pair_key(survivor.id, partner)


def _human_state(work_ids: list[int]) -> dict[str, set[int]]:
    """Which of *work_ids* carry human work a merge must carry over one by one (a query per kind)."""
    def having(column, *conditions) -> set[int]:
        return set(db.session.execute(sa.select(column).distinct().where(column.in_(work_ids), *conditions))
                   .scalars())

    return {
        "overrides": having(FieldOverride.work_id),
        "decisions": having(Authorship.work_id, sa.or_(Authorship.status != "auto",
                                                       Authorship.person_id.is_not(None))),
        "collections": having(collection_work.c.work_id),
        "tasks": having(CurationTask.work_id) | having(CurationTask.other_work_id),
    }


def _by_work(query) -> dict[int, list[str]]:
    """``{work_id: ["a:b", ...]}`` from rows ``(work_id, a, b)``."""
    result: dict[int, list[str]] = {}
    for work_id, first, second in db.session.execute(query):
        result.setdefault(work_id, []).append(f"{first}:{second}")
    return result


def _repoint(column: sa.Column, into: dict[int, int]) -> None:
    """Set *column* from each merged-away Work to its survivor (*into*: ``{other: survivor}``).

    One statement per slice of merges: an executemany would search the column once per merge, and
    ``work.merged_into_id`` has no index (tombstones pointing at a Work are rare, the search is a scan).
    """
    others = sorted(into)
    for start in range(0, len(others), _REPOINT_SLICE):
        mapping = {other: into[other] for other in others[start:start + _REPOINT_SLICE]}
        db.session.execute(sa.update(column.table).where(column.in_(list(mapping)))
                           .values({column.key: sa.case(mapping, value=column)}))


def _recompute(survivors: list[Work], priority: list[str]) -> dict[int, dict]:
    """Merge every survivor from its (new) set of source records; ``{work_id: changes}``.

    The survivors' rows, author lines, identifiers and overrides are read in a few queries for all of them,
    and the identifier owners and venues their records name are prefetched once.
    """
    ids = [work.id for work in survivors]
    db.session.execute(sa.select(Work).where(Work.id.in_(ids)).options(
        selectinload(Work.authorships), selectinload(Work.identifiers), selectinload(Work.overrides))
        .execution_options(populate_existing=True)).scalars().all()
    rows: dict[int, list[SourceRecord]] = {work_id: [] for work_id in ids}
    # populate_existing: rows already in the session still carry the work_id the statements changed
    for row in db.session.execute(sa.select(SourceRecord).where(
            SourceRecord.work_id.in_(ids), SourceRecord.is_current.is_(True), SourceRecord.deleted.is_(False))
            .execution_options(populate_existing=True)).scalars():
        rows[row.work_id].append(row)
    lookups = Lookups()
    lookups.prefetch(row.data for work_rows in rows.values() for row in work_rows)
    return {work.id: merge_work(work, priority, rows[work.id], lookups) for work in survivors}


def _check(merges: list[Merge]) -> None:
    seen: set[int] = set()
    for survivor, others in merges:
        for other in others:
            if other.id == survivor.id:
                raise MergeError(f"work {survivor.id} cannot be merged with itself")
        for work in (survivor, *others):
            if work.deleted or work.merged_into_id is not None:
                raise MergeError(f"work {work.id} is withdrawn or merged away")
            if work.id in seen:
                raise MergeError(f"work {work.id} is in two merges at once")
            seen.add(work.id)


def merge_works(merges: list[Merge], actor: str, priority: list[str]) -> list[Event]:
    """Merge each ``(survivor, others)`` of *merges* into its survivor; return the events to fire after the commit.

    However many merges there are, the moves are a few set-based statements, each survivor is recomputed
    and re-indexed once, and the events are one ``zhiku_works_merged`` per survivor, one
    ``zhiku_works_saved`` (the survivors) and one ``zhiku_works_deleted`` (the merged-away Works).
    Raises MergeError for a Work merged with itself, a tombstone, or a Work named twice.
    """
    merges = [(survivor, list(others)) for survivor, others in merges if others]
    _check(merges)
    if not merges:
        return []
    db.session.flush()
    into = {other.id: survivor.id for survivor, others in merges for other in others}
    other_ids = list(into)
    survivor_ids = [survivor.id for survivor, _others in merges]
    human = _human_state(other_ids)
    records = _by_work(sa.select(SourceRecord.work_id, SourceRecord.source, SourceRecord.source_id)
                       .where(SourceRecord.work_id.in_(other_ids), SourceRecord.is_current.is_(True))
                       .order_by(SourceRecord.id))
    identifiers = _by_work(sa.select(Identifier.work_id, Identifier.scheme, Identifier.value)
                           .where(Identifier.work_id.in_(other_ids)).order_by(Identifier.id))
    for column in (SourceRecord.__table__.c.work_id, Identifier.__table__.c.work_id,
                   Work.__table__.c.merged_into_id):  # the last: tombstones merged into a merged-away Work
        _repoint(column, into)
    decisions: dict[int, list[str]] = {}
    overrides: dict[int, list[str]] = {}
    for survivor, others in merges:
        for other in others:
            if other.id in human["decisions"]:
                decisions.setdefault(survivor.id, []).extend(_move_decisions(survivor, other))
            if other.id in human["overrides"]:
                overrides.setdefault(survivor.id, []).extend(_move_overrides(survivor, other))
            if other.id in human["collections"]:
                _move_collections(survivor, other)
            if other.id in human["tasks"]:
                _repoint_tasks(survivor, other)
    db.session.flush()
    db.session.execute(sa.delete(Authorship).where(Authorship.work_id.in_(other_ids)))
    now = utcnow()
    for survivor, others in merges:
        for other in others:
            other.deleted, other.merged_into_id, other.updated_at = True, survivor.id, now
    drop_index(other_ids)
    # identifiers and collection memberships moved by statements the datestamp listener never sees
    touch_works(db.session.connection(), Work.id.in_(survivor_ids), now)
    db.session.flush()
    for _survivor, others in merges:
        for other in others:
            db.session.expire(other, ["authorships", "identifiers", "overrides"])
    changes = _recompute([survivor for survivor, _others in merges], priority)
    db.session.flush()
    index_works(survivor_ids)
    events: list[Event] = []
    audits = []
    for survivor, others in merges:
        merged = [other.id for other in others]
        fields = changes[survivor.id]
        after = {"merged": merged,
                 "source_records": [r for other in merged for r in records.get(other, ())],
                 "identifiers": [i for other in merged for i in identifiers.get(other, ())],
                 "author_decisions": decisions.get(survivor.id, []), "overrides": overrides.get(survivor.id, []),
                 "fields": {k: _plain(a) for k, (_b, a) in fields.items()}}
        audits.append(("work.merge", survivor, {k: _plain(b) for k, (b, _a) in fields.items()}, after))
        audits.extend(("work.merged_into", other, None, {"merged_into": survivor.id}) for other in others)
        events.append(("zhiku_works_merged", {"survivor_id": survivor.id, "merged_ids": merged}))
    record_audits(actor, audits)
    return events + [("zhiku_works_saved", {"work_ids": survivor_ids, "created_ids": []}),
                     ("zhiku_works_deleted", {"work_ids": other_ids})]


def split_source_record(record: SourceRecord, actor: str, priority: list[str]) -> tuple[Work, list[Event]]:
    """Move *record* (every revision of it) out of its Work into a new one, kept apart from the old one."""
    old = db.session.get(Work, record.work_id) if record.work_id else None
    if old is None or old.deleted:
        raise MergeError(f"source record {record.source}:{record.source_id} belongs to no live work")
    others = db.session.execute(sa.select(sa.func.count()).select_from(SourceRecord).where(
        SourceRecord.work_id == old.id, SourceRecord.is_current,
        sa.not_(sa.and_(SourceRecord.source == record.source, SourceRecord.source_id == record.source_id)))
    ).scalar_one()
    if not others:
        raise MergeError(f"source record {record.source}:{record.source_id} is the only one of work {old.id}")
    new = Work(title=record.data["title"], identifiers=[], authorships=[], overrides=[])
    new.set_type(record.data["type"])
    db.session.add(new)
    db.session.flush()
    db.session.execute(sa.update(SourceRecord).where(SourceRecord.source == record.source,
                                                     SourceRecord.source_id == record.source_id,
                                                     SourceRecord.work_id == old.id).values(work_id=new.id))
    db.session.flush()
    db.session.expire(old, ["source_records"])
    remaining = {pair for row in old.source_records for pair in record_identifiers(row.data)}
    leaving = set(record_identifiers(record.data)) - remaining
    moved = []
    for identifier in list(old.identifiers):
        if (identifier.scheme, identifier.value) in leaving:
            identifier.work = new
            moved.append(f"{identifier.scheme}:{identifier.value}")
    db.session.flush()
    merge_work(old, priority)
    merge_work(new, priority)
    index_works([old.id, new.id])
    low, high = sorted((old.id, new.id))
    task = CurationTask(kind="possible_duplicate", status="open", subject_key=pair_key(old.id, new.id),
                        work_id=low, other_work_id=high, reason=f"split by {actor}",
                        details={"split": f"{record.source}:{record.source_id}"})
    task.decide("rejected", actor)
    db.session.add(task)
    db.session.flush()
    detail = {"source_record": f"{record.source}:{record.source_id}", "identifiers": moved}
    record_audit(actor, "work.split", old, before=None, after=detail | {"new_work": new.id})
    record_audit(actor, "work.create", new, before=None, after=detail | {"split_from": old.id})
    return new, [("zhiku_works_saved", {"work_ids": [old.id, new.id], "created_ids": [new.id]})]


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
