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
