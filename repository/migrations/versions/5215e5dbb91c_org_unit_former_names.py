"""org units: former names, city, country, and the unit types of the dictionary templates

Revision ID: 5215e5dbb91c
Revises: 503f723eccb8
Create Date: 2026-11-23 14:30:57.542072

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '5215e5dbb91c'
down_revision = '503f723eccb8'
branch_labels = None
depends_on = None

OLD_LEVELS = ('institution', 'school', 'department', 'lab')
NEW_LEVELS = ('institution', 'school', 'college', 'department', 'lab', 'institute', 'center', 'hospital', 'campus',
              'office', 'government', 'other')


def upgrade():
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('former_names', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()),
                                                                             'postgresql'),
                                      nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('city', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.alter_column('level', existing_type=sa.Enum(*OLD_LEVELS, name='org_level', native_enum=False),
                              type_=sa.Enum(*NEW_LEVELS, name='org_level', native_enum=False),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.alter_column('level', existing_type=sa.Enum(*NEW_LEVELS, name='org_level', native_enum=False),
                              type_=sa.Enum(*OLD_LEVELS, name='org_level', native_enum=False),
                              existing_nullable=False)
        batch_op.drop_column('country')
        batch_op.drop_column('city')
        batch_op.drop_column('former_names')
