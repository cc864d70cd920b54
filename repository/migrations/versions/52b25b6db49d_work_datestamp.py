"""work datestamp; indexes for OAI-PMH lists and counts

Revision ID: 52b25b6db49d
Revises: bda4b2f9ad6a
Create Date: 2026-11-23 14:32:24.408077

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '52b25b6db49d'
down_revision = 'bda4b2f9ad6a'
branch_labels = None
depends_on = None


def upgrade():
    # Work.datestamp: when the public record last changed (the OAI-PMH datestamp). Existing works start from
    # updated_at, or from the day their embargo ends when that is later (see repository/models/datestamp.py).
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.add_column(sa.Column('datestamp', sa.DateTime(timezone=True), nullable=True))
    work = sa.table('work', sa.column('id', sa.Integer), sa.column('updated_at', sa.DateTime(timezone=True)),
                    sa.column('embargo_until', sa.Date), sa.column('datestamp', sa.DateTime(timezone=True)))
    connection = op.get_bind()
    connection.execute(work.update().values(datestamp=work.c.updated_at))
    embargoed = connection.execute(sa.select(work.c.id, work.c.updated_at, work.c.embargo_until)
                                   .where(work.c.embargo_until.is_not(None))).all()
    for work_id, updated_at, embargo_until in embargoed:
        release = dt.datetime.combine(embargo_until, dt.time(), tzinfo=dt.timezone.utc)
        if updated_at.tzinfo is None:  # SQLite keeps no zone; the stored values are UTC
            updated_at = updated_at.replace(tzinfo=dt.timezone.utc)
        if release > updated_at:
            connection.execute(work.update().where(work.c.id == work_id).values(datestamp=release))
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.alter_column('datestamp', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index('ix_work_datestamp_id', ['datestamp', 'id'], unique=False)
        batch_op.create_index('ix_work_exposure', ['status', 'deleted', 'merged_into_id', 'embargo_until'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('work', schema=None) as batch_op:
        batch_op.drop_index('ix_work_exposure')
        batch_op.drop_index('ix_work_datestamp_id')
        batch_op.drop_column('datestamp')
