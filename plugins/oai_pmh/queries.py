"""What OAI-PMH exposes, as SQL: public works plus tombstones, keyset pages, datestamps.

Exposed = public (``repository.web.public.published_works``: verified, not deleted, not under embargo)
or a tombstone. A tombstone is a Work that is deleted, withdrawn or merged into another: its identifier is
answered as a deleted record forever (deletedRecord=persistent), so a harvester learns to drop it. Works
that are only candidates, or under embargo, are not exposed at all. The datestamp is ``Work.datestamp``
(``repository.models.datestamp``: it moves whenever the public record changes, and an embargo that ends
gives the record its release as datestamp) truncated to the second; lists are ordered by
``(datestamp, id)``, which the keyset tokens continue on the index ``ix_work_datestamp_id``.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from repository.extensions import db
from repository.models import Work
from repository.models.revision import current_revision, revision_query
from repository.web.public import published_works

UTC = dt.timezone.utc


def is_tombstone(work: Work) -> bool:
    return bool(work.deleted or work.status == "withdrawn" or work.merged_into_id is not None)


def tombstone_condition():
    return sa.or_(Work.deleted.is_(True), Work.status == "withdrawn", Work.merged_into_id.is_not(None))


def exposed_condition():
    """Public works or tombstones."""
    public = sa.and_(published_works().whereclause, Work.merged_into_id.is_(None))
    return sa.or_(public, tombstone_condition())


def datestamp(value: dt.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def earliest_datestamp() -> str:
    earliest = db.session.execute(sa.select(sa.func.min(Work.datestamp)).where(exposed_condition())).scalar()
    if earliest is None:
        return "1970-01-01T00:00:00Z"
    if earliest.tzinfo is None:  # an aggregate bypasses the column type's result processing on SQLite
        earliest = dt.datetime.fromisoformat(str(earliest)).replace(tzinfo=UTC)
    return datestamp(earliest)


def get_exposed(work_id: int, full: bool = True) -> Work | None:
    query = sa.select(Work).where(Work.id == work_id, exposed_condition())
    if full:
        query = query.options(*_full_options())
    return db.session.execute(query).scalar_one_or_none()


def _full_options():
    return (selectinload(Work.authorships), selectinload(Work.identifiers), joinedload(Work.venue))


def list_condition(kinds, set_condition, start: dt.datetime | None, end: dt.datetime | None):
    """The condition of one list: exposed, of the format's kinds, in the set, start <= datestamp < end."""
    parts = [exposed_condition()]
    if kinds is not None:
        parts.append(Work.kind.in_(kinds))
    if set_condition is not None:
        parts.append(set_condition)
    if start is not None:
        parts.append(Work.datestamp >= start)
    if end is not None:
        parts.append(Work.datestamp < end)
    return sa.and_(*parts)


def count(condition) -> int:
    """How many works match *condition*."""
    return db.session.execute(count_query(condition)).scalar_one()


def works_revision() -> int | None:
    """The works revision (``repository.models.revision``) this session sees."""
    return current_revision(db.session.connection())


def count_at_revision(condition) -> tuple[int | None, int]:
    """(works revision, how many works match *condition*), read in one statement: one snapshot."""
    return tuple(db.session.execute(count_at_revision_query(condition)).one())


def count_at_revision_query(condition):
    return sa.select(revision_query().scalar_subquery(), count_query(condition).scalar_subquery())


def count_query(condition):
    """count(*), not count(id): an index-only scan of ix_work_exposure can answer it."""
    return sa.select(sa.func.count()).select_from(Work).where(condition)


def page(condition, after: tuple[dt.datetime, int] | None, size: int, full: bool) -> list[Work]:
    """Up to *size* + 1 works after the keyset position *after* (the extra one says "there is more")."""
    query = page_query(condition, after, size)
    if full:
        query = query.options(*_full_options())
    return list(db.session.execute(query).scalars())


def page_query(condition, after: tuple[dt.datetime, int] | None, size: int):
    """The SELECT of one keyset page (also what ``bench/oai_bench.py --explain`` shows the plan of)."""
    query = sa.select(Work).where(condition)
    if after is not None:
        # a row-value comparison: the index on (datestamp, id) seeks straight to the position
        query = query.where(sa.tuple_(Work.datestamp, Work.id) > sa.tuple_(*after))
    return query.order_by(Work.datestamp, Work.id).limit(size + 1)
