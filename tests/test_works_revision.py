"""The works revision moves exactly once in every committed transaction that changes a public record, and
never otherwise, whoever writes (another session, a bulk update)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from repository.extensions import db
from repository.models import Collection, Person, Work, touch_works
from repository.models.revision import current_revision

pytestmark = pytest.mark.contract


def revision() -> int:
    with db.engine.connect() as connection:  # what another process sees: committed state only
        return current_revision(connection)


def make_work(title="A work", **fields) -> Work:
    work = Work(title=title, status="verified", **fields)
    work.set_type("journal_article")
    db.session.add(work)
    return work


def test_a_new_work_and_every_later_change_move_it_once_per_commit(app):
    start = revision()
    work = make_work()
    db.session.flush()
    work.title = "Renamed before the commit"
    db.session.flush()
    assert revision() == start  # not before the commit
    db.session.commit()
    assert revision() == start + 1
    work.status = "candidate"
    db.session.commit()
    assert revision() == start + 2
    work.datestamp = work.datestamp.replace(year=2020)  # a datestamp set alone moves lists' from/until
    db.session.commit()
    assert revision() == start + 3
    db.session.delete(work)
    db.session.commit()
    assert revision() == start + 4


def test_commits_without_a_public_change_and_rollbacks_keep_it(app):
    work = make_work()
    db.session.commit()
    start = revision()
    db.session.add(Person(kind="staff", name_zh="张三"))
    db.session.commit()
    work.title = work.title  # no real change
    db.session.commit()
    work.title = "Rolled back"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert revision() == start


def test_changes_through_other_rows_and_savepoints_move_it(app):
    work = make_work()
    collection = Collection(spec="catalysis", name_en="Catalysis")
    db.session.add(collection)
    db.session.commit()
    start = revision()
    savepoint = db.session.begin_nested()
    collection.works.append(work)
    savepoint.commit()
    assert revision() == start
    db.session.commit()
    assert revision() == start + 1
    collection.spec = "catalysts"  # the set's spec is in the header of every member
    db.session.commit()
    assert revision() == start + 2


def test_bulk_updates_through_touch_works_move_it(app):
    work = make_work()
    db.session.commit()
    start = revision()
    db.session.execute(sa.update(Work).where(Work.id == work.id).values(status="candidate"))
    touch_works(db.session.connection(), Work.id == work.id)
    db.session.commit()
    assert revision() == start + 1


def test_a_change_committed_by_another_session_is_seen(app):
    work = make_work()
    db.session.commit()
    work_id, start = work.id, current_revision(db.session.connection())
    db.session.commit()
    with Session(db.engine) as other:  # another process: a worker importing
        other.get(Work, work_id).title = "Changed elsewhere"
        other.commit()
    assert current_revision(db.session.connection()) == start + 1
