"""Curator decisions on duplicates: merge two Works, split a source record out, decide a task.

Each function commits its change and then fires the events (``zhiku_works_merged``,
``zhiku_works_saved``); the web workbench, the API and the ``zhiku dedup`` commands call these.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import CurationTask, SourceRecord, Work
from ..plugins import plugins
from .merging import Event, MergeError, merge_works, pick_survivor, split_source_record

log = logging.getLogger(__name__)


def fire(events: list[Event]) -> None:
    """Call the event hooks of a committed change; a failing listener is logged, never raised."""
    hook = plugins().hook
    for name, kwargs in events:
        try:
            getattr(hook, name)(**kwargs)
        except Exception:  # a search server that is down must not undo a committed decision
            log.exception("event hook %s(%s) failed", name, kwargs)


def _priority() -> list[str]:
    return current_app.config["ZHIKU_SOURCE_PRIORITY"]


def _work(work_id: int) -> Work:
    work = db.session.get(Work, work_id)
    if work is None:
        raise MergeError(f"work {work_id} does not exist")
    return work


def merge(first_id: int, second_id: int, actor: str) -> Work:
    """Merge two Works (the survivor is chosen by ``pick_survivor``); return the survivor."""
    survivor, others = pick_survivor((_work(first_id), _work(second_id)))
    events = merge_works([(survivor, others)], actor, _priority())
    db.session.commit()
    fire(events)
    return survivor


def split(source: str, source_id: str, actor: str) -> Work:
    """Split the source record SOURCE:SOURCE_ID out of its Work; return the new Work."""
    record = db.session.execute(sa.select(SourceRecord).filter_by(source=source, source_id=source_id,
                                                                  is_current=True)).scalar_one_or_none()
    if record is None:
        raise MergeError(f"no source record {source}:{source_id}")
    new, events = split_source_record(record, actor, _priority())
    db.session.commit()
    fire(events)
    return new


def decide(task: CurationTask, accept: bool, actor: str) -> Work | None:
    """Close a possible-duplicate task: accepting merges the two Works (returns the survivor),
    rejecting keeps them apart for good."""
    if task.kind != "possible_duplicate" or not task.is_open:
        raise MergeError(f"task {task.id} is not an open possible-duplicate task")
    if not accept:
        task.decide("rejected", actor)
        db.session.commit()
        return None
    survivor, others = pick_survivor((_work(task.work_id), _work(task.other_work_id)))
    events = merge_works([(survivor, others)], actor, _priority())
    task.decide("accepted", actor)
    db.session.commit()
    fire(events)
    return survivor
