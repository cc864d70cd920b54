"""The keyset page query seeks the (datestamp, id) index to its position, and counting a list reads the
exposure index alone (in the statement that also reads the works revision), on SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest

from plugins.oai_pmh import queries
from repository.extensions import db

pytestmark = pytest.mark.contract


def plan(statement, avoid=()) -> str:
    """The query plan of *statement*; on PostgreSQL without the plan nodes in *avoid* (a near-empty test
    table would be read whole; what matters is that the index can do the work)."""
    connection = db.session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    if connection.dialect.name == "postgresql":
        for method in avoid:
            connection.exec_driver_sql(f"SET LOCAL enable_{method} = off")
        rows = connection.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params)
        return "\n".join(row[0] for row in rows)
    rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string,
                                      tuple(compiled.params[key] for key in compiled.positiontup))
    return "\n".join(row[-1] for row in rows)


def test_a_deep_page_starts_at_its_position_in_the_datestamp_index(make_app):
    with make_app().app_context():
        after = (dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), 500_000)
        text = plan(queries.page_query(queries.list_condition(None, None, None, None), after, 100),
                    avoid=("seqscan", "bitmapscan", "sort"))
        if db.engine.dialect.name == "postgresql":  # the benchmark shows the plan at 1,000,000 works
            assert "Index Scan using ix_work_datestamp_id on work" in text, text
            assert "Index Cond: (ROW(datestamp, id) > ROW(" in text, text
            assert "Sort" not in text, text
        else:
            assert "SEARCH work USING INDEX ix_work_datestamp_id (datestamp>?)" in text, text
            assert "TEMP B-TREE" not in text, text


def test_counting_a_list_can_read_the_exposure_index_alone(make_app):
    with make_app().app_context():
        text = plan(queries.count_at_revision_query(queries.list_condition(None, None, None, None)),
                    avoid=("seqscan", "bitmapscan"))
        expected = "Index Only Scan using ix_work_exposure on work" if db.engine.dialect.name == "postgresql" \
            else "USING COVERING INDEX ix_work_exposure"
        assert expected in text, text
