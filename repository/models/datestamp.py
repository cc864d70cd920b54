"""The datestamp of a Work: when its public record last changed (the OAI-PMH datestamp).

``Work.datestamp`` moves with every change to what a harvester receives for the Work: its own columns;
its authorships (names, the people and units they are attributed to, which decide its unit sets) and
identifiers; the collections it belongs to; the code or the place in the tree of a unit one of its
authorships is attributed to; its venue.

An embargo is part of it: while ``embargo_until`` lies ahead, the datestamp is the start of that day
(00:00 UTC), the moment the record becomes public (``repository.web.public.published_works``). So when the
embargo lapses, the record appears with a datestamp no older than its release, and an incremental harvester
(``from=`` its last harvest) receives it, without any job having to run on that day.

Session events keep it, so every writer (the pipeline, curator pages, CLI commands) does so without
thinking of it. Bulk UPDATE statements bypass the ORM: code that changes Works that way calls
:func:`touch_works` in the same transaction. Both also move the works revision
(``repository.models.revision``), which tells caches that a public record changed.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history

from . import revision
from ._base import utcnow
from .collection import Collection, collection_work
from .org import OrgUnit
from .person import Authorship
from .work import Identifier, Venue, Work

_PENDING = "zhiku.datestamp.pending"  # session.info key: conditions whose Works are touched after the flush


def release_moment(embargo_until: dt.date | None) -> dt.datetime | None:
    """When a Work under embargo until *embargo_until* becomes public: 00:00 UTC of that day."""
    if embargo_until is None:
        return None
    return dt.datetime.combine(embargo_until, dt.time(), tzinfo=dt.timezone.utc)


def datestamp_for(work: Work, moment: dt.datetime) -> dt.datetime:
    """The datestamp of *work* changed at *moment*: *moment*, or its release when that is later."""
    release = release_moment(work.embargo_until)
    return max(moment, release) if release is not None else moment


def touch_works(connection, condition, now: dt.datetime | None = None) -> None:
    """Give every Work matching *condition* a new datestamp (kept when its embargo ends later still), and
    move the works revision (its row stays locked until the transaction ends)."""
    _restamp(connection, condition, now or utcnow())
    revision.bump(connection)


def _restamp(connection, condition, now: dt.datetime) -> None:
    stamp = sa.case((Work.datestamp > now, Work.datestamp), else_=sa.literal(now, Work.datestamp.type))
    connection.execute(sa.update(Work).where(condition).values(datestamp=stamp)
                       .execution_options(synchronize_session=False))


def _history(obj, key: str):
    # not ``inspect(obj).attrs``: that builds a state object for every attribute of the class, per object
    return get_history(obj, key, passive=PASSIVE_NO_INITIALIZE)


def _changed(obj, ignore: frozenset[str] = frozenset()) -> bool:
    """Whether a loaded object has a real change (an attribute set to its old value is none)."""
    modified = sa.inspect(obj).committed_state  # the attributes written to since the load or the last flush
    return any(_history(obj, key).has_changes() for key in modified if key not in ignore)


def _work_of(session: Session, obj) -> Work | None:
    work = obj.work
    if work is None and obj.work_id is not None:
        work = session.get(Work, obj.work_id)
    return work


def _unit_subtree(session: Session, unit_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for child_id, parent_id in session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent_id, []).append(child_id)
    found, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, ()))
    return found


def _collect(session: Session) -> tuple[set[Work], list]:
    """The Works this flush changes, and conditions for those changed only through other rows."""
    works: set[Work] = set()
    conditions = []
    for obj in session.new | session.dirty | session.deleted:
        dirty = obj in session.dirty
        if isinstance(obj, Work) and obj not in session.deleted and (not dirty or _changed(obj, {"datestamp"})):
            works.add(obj)
        elif isinstance(obj, (Authorship, Identifier)) and (not dirty or _changed(obj)):
            work = _work_of(session, obj)
            if work is not None and work not in session.deleted:
                works.add(work)
        elif isinstance(obj, Collection):
            history = _history(obj, "works")
            works.update(w for w in (*history.added, *history.deleted) if w not in session.deleted)
            if obj.id is not None and (obj in session.deleted or _history(obj, "spec").has_changes()):
                member_ids = session.execute(sa.select(collection_work.c.work_id)
                                             .where(collection_work.c.collection_id == obj.id)).scalars().all()
                conditions.append(Work.id.in_(member_ids))
        elif isinstance(obj, OrgUnit) and dirty and obj.id is not None and any(
                _history(obj, key).has_changes() for key in ("code", "parent_id", "parent")):
            units = _unit_subtree(session, obj.id)
            conditions.append(Work.id.in_(sa.select(Authorship.work_id).where(Authorship.org_unit_id.in_(units))))
        elif isinstance(obj, Venue) and dirty and _changed(obj):
            conditions.append(Work.venue_id == obj.id)
    return works, conditions


def _works_deleted_or_restamped(session: Session, works: set[Work]) -> bool:
    """Whether this flush deletes a Work or changes a datestamp alone (changes _collect does not stamp)."""
    return any(isinstance(obj, Work) for obj in session.deleted) or any(
        isinstance(obj, Work) and obj not in works and _history(obj, "datestamp").has_changes()
        for obj in session.dirty)


@sa.event.listens_for(Session, "before_flush")
def _stamp_changed_works(session: Session, _context, _instances) -> None:
    now = utcnow()
    with session.no_autoflush:
        works, conditions = _collect(session)
    if works or conditions or _works_deleted_or_restamped(session, works):
        revision.mark_changed(session)
    for work in works:
        given = [value for value in _history(work, "datestamp").added if value is not None]
        work.datestamp = datestamp_for(work, given[0] if given else now)  # a datestamp set on purpose is kept
    if conditions:
        session.info.setdefault(_PENDING, []).extend(conditions)


@sa.event.listens_for(Session, "after_flush")
def _stamp_works_changed_elsewhere(session: Session, _context) -> None:
    conditions = session.info.pop(_PENDING, None)
    if conditions:
        now = utcnow()
        for condition in conditions:
            _restamp(session.connection(), condition, now)  # the session is marked: its commit moves the revision
