"""The keyset page query seeks the (datestamp, id) index to its position, and counting a list reads the
exposure index alone, on SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from plugins.oai_pmh import queries
from repository.extensions import db

pytestmark = pytest.mark.contract


def test_a_deep_page_starts_at_its_position_in_the_datestamp_index(make_app):
    with make_app().app_context():
        after = (dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), 500_000)
        statement = queries.page_query(queries.list_condition(None, None, None, None), after, 100)
        connection = db.session.connection()
        compiled = statement.compile(dialect=connection.dialect)
        if connection.dialect.name == "postgresql":
            # a near-empty test table would be read whole and sorted; what matters here is that the index
            # can seek to the position and give the order (the benchmark shows the plan at 1,000,000 works)
            for method in ("seqscan", "bitmapscan", "sort"):
                connection.exec_driver_sql(f"SET LOCAL enable_{method} = off")
            plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + compiled.string,
                                                                          compiled.params))
            assert "Index Scan using ix_work_datestamp_id on work" in plan, plan
            assert "Index Cond: (ROW(datestamp, id) > ROW(" in plan, plan
            assert "Sort" not in plan, plan
        else:
            plan = "\n".join(row[-1] for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + compiled.string, tuple(compiled.params[k] for k in compiled.positiontup)))
            assert "SEARCH work USING INDEX ix_work_datestamp_id (datestamp>?)" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        db.session.rollback()


def test_counting_a_list_can_read_the_exposure_index_alone(make_app):
    with make_app().app_context():
        connection = db.session.connection()
        statement = sa.select(sa.func.count()).select_from(queries.Work).where(
            queries.list_condition(None, None, None, None))
        compiled = statement.compile(dialect=connection.dialect)
        if connection.dialect.name == "postgresql":
            for method in ("seqscan", "bitmapscan"):
                connection.exec_driver_sql(f"SET LOCAL enable_{method} = off")
            plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + compiled.string,
                                                                          compiled.params))
            assert "Index Only Scan using ix_work_exposure on work" in plan, plan
        else:
            plan = "\n".join(row[-1] for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + compiled.string, tuple(compiled.params[k] for k in compiled.positiontup)))
            assert "USING COVERING INDEX ix_work_exposure" in plan, plan
        db.session.rollback()
