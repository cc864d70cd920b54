"""Primary keys of new rows on SQLite, assigned before the flush so that inserts go out in batches.

The unit of work needs the key of every new row (a Work's id goes into its authorships, identifiers and
source records). PostgreSQL returns the keys of a multi-row ``INSERT ... RETURNING`` in the order of the
rows, so SQLAlchemy inserts a whole table's new rows in one statement. SQLite gives no such order, and
SQLAlchemy falls back to one INSERT per row there: importing a chunk of 200 records costs about 1,500
statements. Numbering the new rows here, the way SQLite itself would (the largest key in the table plus
one), lets each table's rows go out in one ``executemany``.

Safe because SQLite has one writer at a time: a transaction that read the largest key and then writes can
only succeed when nobody else wrote in between (otherwise SQLite refuses the write, as it refuses any
write of a transaction whose snapshot went stale).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session


def _autoincrement_column(mapper) -> sa.Column | None:
    table = mapper.local_table
    column = getattr(table, "autoincrement_column", None)
    return column if column is not None and isinstance(column.type, sa.Integer) else None


@sa.event.listens_for(Session, "before_flush")
def _number_new_rows(session: Session, _context, _instances) -> None:
    if not session.new or session.get_bind().dialect.name != "sqlite":
        return
    waiting: dict[sa.Column, list[tuple[object, str]]] = {}
    for obj in session.new:
        mapper = sa.inspect(obj).mapper
        column = _autoincrement_column(mapper)
        if column is None:
            continue
        key = mapper.get_property_by_column(column).key
        if getattr(obj, key) is None:
            waiting.setdefault(column, []).append((obj, key))
    if sum(map(len, waiting.values())) < 2:  # one row: the plain INSERT is as fast
        return
    with session.no_autoflush:
        for column, rows in waiting.items():
            largest = session.execute(sa.select(sa.func.max(column))).scalar() or 0
            for number, (obj, key) in enumerate(rows, start=largest + 1):
                setattr(obj, key, number)
