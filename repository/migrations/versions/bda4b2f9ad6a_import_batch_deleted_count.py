"""import batch deleted count

Revision ID: bda4b2f9ad6a
Revises: 6f84a86ec637
Create Date: 2026-11-23 14:32:43.332893

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bda4b2f9ad6a'
down_revision = '6f84a86ec637'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted', sa.Integer(), nullable=False, server_default=sa.text('0')))



def downgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_column('deleted')

