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

import sqlalchemy as sa

from ..extensions import db
from ..ingest.merge import merge_work
from ..ingest.resolve import record_identifiers
from ..models import (Authorship, CurationTask, FieldOverride, Identifier, SourceRecord, Work, collection_work,
                      record_audit, utcnow)
from .index import drop_index, index_works
from .normalize import name_keys
from .tasks import pair_key

Event = tuple[str, dict]

_DECISION_FIELDS = ("person_id", "org_unit_id", "status", "confidence", "is_corresponding")


class MergeError(ValueError):
    """The requested merge or split is impossible (same Work, a tombstone, the only source record)."""


def pick_survivor(first: Work, second: Work) -> tuple[Work, Work]:
    """(survivor, other): a verified Work outlives a candidate one; otherwise the older Work survives."""
    return tuple(sorted((first, second), key=lambda w: (w.status != "verified", w.id)))


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


def _human_state(work_id: int) -> dict[str, int]:
    """How much human work hangs on a Work (one query): what a merge must carry over by hand."""
    def count(table, *conditions):
        return sa.select(sa.func.count()).select_from(table).where(*conditions).scalar_subquery()

    row = db.session.execute(sa.select(
        count(FieldOverride.__table__, FieldOverride.work_id == work_id).label("overrides"),
        count(Authorship.__table__, Authorship.work_id == work_id,
              sa.or_(Authorship.status != "auto", Authorship.person_id.is_not(None))).label("decisions"),
        count(collection_work, collection_work.c.work_id == work_id).label("collections"),
        count(CurationTask.__table__, sa.or_(CurationTask.work_id == work_id,
                                             CurationTask.other_work_id == work_id)).label("tasks"),
    )).one()
    return row._asdict()


def merge_works(survivor: Work, other: Work, actor: str, priority: list[str]) -> list[Event]:
    """Merge *other* into *survivor*; return the events to fire after the commit."""
    if survivor.id == other.id:
        raise MergeError(f"work {survivor.id} cannot be merged with itself")
    for work in (survivor, other):
        if work.deleted or work.merged_into_id is not None:
            raise MergeError(f"work {work.id} is withdrawn or merged away")
    db.session.flush()
    state = _human_state(other.id)
    records = db.session.execute(sa.select(SourceRecord.source, SourceRecord.source_id)
                                 .filter_by(work_id=other.id, is_current=True)).all()
    db.session.execute(sa.update(SourceRecord).where(SourceRecord.work_id == other.id)
                       .values(work_id=survivor.id))
    identifiers = [f"{s}:{v}" for s, v in db.session.execute(
        sa.select(Identifier.scheme, Identifier.value).where(Identifier.work_id == other.id))]
    db.session.execute(sa.update(Identifier).where(Identifier.work_id == other.id).values(work_id=survivor.id))
    decisions = _move_decisions(survivor, other) if state["decisions"] else []
    overrides = []
    if state["overrides"]:
        fields = {override.field for override in survivor.overrides}
        for override in list(other.overrides):
            if override.field not in fields:
                override.work = survivor
                overrides.append(override.field)
    if state["collections"]:
        in_collections = sa.select(collection_work.c.collection_id).where(collection_work.c.work_id == survivor.id)
        db.session.execute(sa.update(collection_work).where(collection_work.c.work_id == other.id,
                                                            collection_work.c.collection_id.not_in(in_collections))
                           .values(work_id=survivor.id))
        db.session.execute(sa.delete(collection_work).where(collection_work.c.work_id == other.id))
    if state["tasks"]:
        _repoint_tasks(survivor, other)
    db.session.execute(sa.update(Work).where(Work.merged_into_id == other.id).values(merged_into_id=survivor.id))
    db.session.flush()
    db.session.execute(sa.delete(Authorship).where(Authorship.work_id == other.id))
    other.deleted, other.merged_into_id, other.updated_at = True, survivor.id, utcnow()
    # the survivor took identifiers and collections through bulk statements, which the datestamp does not
    # see: changing its row moves its datestamp, so harvesters receive its new identifiers and sets
    survivor.updated_at = other.updated_at
    drop_index(other.id)
    db.session.flush()
    db.session.expire(other, ["authorships", "identifiers", "overrides"])
    db.session.expire(survivor, ["source_records", "identifiers", "overrides"])
    changes = merge_work(survivor, priority)
    index_works([survivor.id])
    after = {"merged": [other.id], "source_records": [f"{s}:{i}" for s, i in records], "identifiers": identifiers,
             "author_decisions": decisions, "overrides": overrides,
             "fields": {k: _plain(a) for k, (_b, a) in changes.items()}}
    record_audit(actor, "work.merge", survivor, before={k: _plain(b) for k, (b, _a) in changes.items()}, after=after)
    record_audit(actor, "work.merged_into", other, before=None, after={"merged_into": survivor.id})
    return [("zhiku_works_merged", {"survivor_id": survivor.id, "merged_ids": [other.id]}),
            ("zhiku_works_saved", {"work_ids": [survivor.id], "created_ids": []})]


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
