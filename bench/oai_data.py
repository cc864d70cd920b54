"""Synthetic public works for the OAI-PMH benchmark, written in bulk (COPY on PostgreSQL), not through the
import pipeline: a million works load in minutes instead of hours.

Each work is a verified journal article with a Chinese title and an English one, an abstract, keywords and
three authorships; every 50th is a tombstone (deleted). Datestamps start on 2020-01-01 and advance one
second every three works, so pages cross many works sharing a second, as real imports do. Each chunk
written moves the works revision, as every writer must (``repository.models.revision``).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Iterator

import sqlalchemy as sa

from repository.models import Authorship, Work
from repository.models.revision import bump

START = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
WORK_COLUMNS = ("id", "type", "kind", "title", "title_alt", "language", "year", "abstract", "keywords",
                "subjects", "funding", "cited_by", "indexed_in", "provenance", "status", "deleted",
                "created_at", "updated_at", "datestamp")
AUTHORSHIP_COLUMNS = ("work_id", "position", "raw_name", "status", "is_corresponding")
_ABSTRACT = "本文研究了催化剂在甲醇合成中的作用并提出一种新的制备方法。" * 4
_KEYWORDS = [{"term": "催化", "scheme": "author", "lang": "zh"}, {"term": "methanol", "scheme": "author", "lang": "en"}]


def work_rows(first_id: int, count: int) -> Iterator[tuple]:
    """Rows of WORK_COLUMNS for the works numbered first_id .. first_id + count - 1."""
    for work_id in range(first_id, first_id + count):
        moment = START + dt.timedelta(seconds=work_id // 3)
        yield (work_id, "journal_article", "publication", f"基准测试论文第{work_id}号：甲醇合成催化剂",
               f"Benchmark work {work_id}: catalysts for methanol synthesis", "zh", 2000 + work_id % 25,
               _ABSTRACT, _KEYWORDS, [], [], {}, [], {}, "verified", work_id % 50 == 0,
               moment, moment, moment)


def authorship_rows(first_id: int, count: int) -> Iterator[tuple]:
    """Rows of AUTHORSHIP_COLUMNS: three authors for each of the works first_id .. first_id + count - 1."""
    for work_id in range(first_id, first_id + count):
        for position, name in enumerate(("张三", "Li, Si", f"Wang, Wu{work_id % 97}"), start=1):
            yield work_id, position, name, "auto", position == 2


def _copy(connection, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
    cursor = connection.connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for v in row])


def _insert(connection, table, columns: tuple[str, ...], rows: Iterator[tuple], batch: int = 20_000) -> None:
    chunk = []
    for row in rows:
        chunk.append(dict(zip(columns, row)))
        if len(chunk) == batch:
            connection.execute(sa.insert(table), chunk)
            chunk = []
    if chunk:
        connection.execute(sa.insert(table), chunk)


def fill(engine, total: int, chunk: int = 100_000) -> int:
    """Add synthetic works until the database holds *total* works; return how many were added."""
    with engine.connect() as connection:
        have = connection.execute(sa.select(sa.func.count(Work.id))).scalar_one()
        first = (connection.execute(sa.select(sa.func.max(Work.id))).scalar() or 0) + 1
    missing = max(total - have, 0)
    postgres = engine.dialect.name == "postgresql"
    for offset in range(0, missing, chunk):
        size = min(chunk, missing - offset)
        with engine.begin() as connection:
            if postgres:
                _copy(connection, "work", WORK_COLUMNS, work_rows(first + offset, size))
                _copy(connection, "authorship", AUTHORSHIP_COLUMNS, authorship_rows(first + offset, size))
            else:
                _insert(connection, Work.__table__, WORK_COLUMNS, work_rows(first + offset, size))
                _insert(connection, Authorship.__table__, AUTHORSHIP_COLUMNS, authorship_rows(first + offset, size))
            bump(connection)  # written past the ORM: say so to the caches of list sizes
        print(f"  {offset + size:,}/{missing:,} works written", file=sys.stderr, end="\r")
    if missing:
        print(file=sys.stderr)
    if postgres:
        with engine.begin() as connection:
            for table in ("work", "authorship"):  # the ids were given explicitly: move the sequences past them
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                           f"(SELECT max(id) FROM {table}))"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE work"))
            connection.execute(sa.text("VACUUM ANALYZE authorship"))
    return missing
