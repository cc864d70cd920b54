"""Migrations build the schema from empty, match the models exactly, and go down and up again."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from repository.extensions import db

pytestmark = pytest.mark.contract


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(app):
    assert schema_differences() == []
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"work", "identifier", "source_record", "venue", "org_unit", "person", "authorship",
            "field_override", "import_batch", "audit_event", "user", "api_token", "plugin_setting"} <= tables


def test_downgrade_to_empty_and_upgrade_again(app):
    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="base")
    assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(directory=directory)
    assert schema_differences() == []


def test_the_datestamp_migration_starts_from_updated_at_or_the_embargo_release(app):
    import datetime as dt

    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="6f84a86ec637")
    utc = dt.timezone.utc
    edited = dt.datetime(2024, 5, 1, 12, 30, tzinfo=utc)
    work = sa.table("work", *(sa.column(name) for name in (
        "id", "type", "kind", "title", "keywords", "subjects", "funding", "cited_by", "indexed_in", "provenance",
        "status", "deleted", "created_at", "updated_at", "embargo_until")))
    common = {"type": "journal_article", "kind": "publication", "keywords": "[]", "subjects": "[]",
              "funding": "[]", "cited_by": "{}", "indexed_in": "[]", "provenance": "{}", "status": "verified",
              "deleted": False, "created_at": edited, "updated_at": edited}
    with db.engine.begin() as connection:
        connection.execute(work.insert(), [
            {**common, "id": 1, "title": "plain", "embargo_until": None},
            {**common, "id": 2, "title": "embargo over", "embargo_until": dt.date(2024, 1, 1)},
            {**common, "id": 3, "title": "embargo ahead", "embargo_until": dt.date(2030, 6, 1)}])
    upgrade(directory=directory)
    with db.engine.connect() as connection:
        stamps = dict(connection.execute(sa.text("SELECT id, datestamp FROM work ORDER BY id")).all())
    as_utc = {k: (v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)) for k, v in stamps.items()}
    as_utc = {k: v.replace(tzinfo=utc) if v.tzinfo is None else v.astimezone(utc) for k, v in as_utc.items()}
    assert as_utc == {1: edited, 2: edited, 3: dt.datetime(2030, 6, 1, tzinfo=utc)}
