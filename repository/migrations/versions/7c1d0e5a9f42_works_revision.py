"""works revision: a number every transaction that changes a public record moves

Revision ID: 7c1d0e5a9f42
Revises: ddd7b7787c60
Create Date: 2026-11-24 10:12:03.120544

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1d0e5a9f42'
down_revision = 'ddd7b7787c60'
branch_labels = None
depends_on = None


def upgrade():
    # one row (repository/models/revision.py); caches of answers derived from the Works key on it
    works_revision = op.create_table(
        'works_revision',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_works_revision')),
    )
    op.bulk_insert(works_revision, [{'id': 1, 'value': 0}])


def downgrade():
    op.drop_table('works_revision')
