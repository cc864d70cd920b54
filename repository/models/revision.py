"""The works revision: a number that moves in every committed transaction that changes a public record.

A reader that finds the same revision twice knows that no Work's datestamp moved and no Work was added or
deleted in between, so anything it derived from the Works (the size of an OAI-PMH list, say) still holds.
Time alone can change such answers too (an embargo ends at midnight): a cache keys on the day as well.

It is one row, incremented by ``UPDATE ... SET value = value + 1``, which makes it exact under concurrency:
each writer increments the latest committed value, so the revisions of two snapshots differ exactly when a
writer committed between them. The increment is the last statement of the transaction (the session's
``before_commit``, after its final flush), so the row lock is held only while the transaction commits and
concurrent writers never wait for each other's work. ``repository.models.datestamp`` marks the session
whenever a flush moves a datestamp or deletes a Work; ``touch_works`` (bulk updates) increments at once.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db

_CHANGED = "zhiku.revision.changed"  # session.info key: this transaction changed public records
ROW_ID = 1


class WorksRevision(db.Model):
    """The single row holding the works revision (created by the migration)."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def current_revision(connection) -> int | None:
    """The works revision as this connection's snapshot sees it (None when the row is missing)."""
    return connection.execute(revision_query()).scalar()


def revision_query():
    """SELECT of the revision, to read it in the same statement (and so the same snapshot) as other things."""
    return sa.select(WorksRevision.value).where(WorksRevision.id == ROW_ID)


def bump(connection) -> None:
    """Move the revision; it takes effect when the connection's transaction commits."""
    connection.execute(sa.update(WorksRevision).where(WorksRevision.id == ROW_ID)
                       .values(value=WorksRevision.value + 1))


def mark_changed(session: Session) -> None:
    """Record that this session's transaction changes public records: its commit moves the revision."""
    session.info[_CHANGED] = True


@sa.event.listens_for(Session, "before_commit")
def _bump_when_committing(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit moves the revision
    session.flush()  # the last flush may still mark the session; afterwards the increment is the last write
    if session.info.pop(_CHANGED, False):
        bump(session.connection())


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_after_rollback(session: Session, transaction) -> None:
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_CHANGED, None)
