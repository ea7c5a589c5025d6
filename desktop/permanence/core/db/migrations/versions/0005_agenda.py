"""agenda: day exceptions and waiting list

Revision ID: 0005_agenda
Revises: 0004_caller_phone_index
Create Date: 2026-11-23 14:52:22.445705
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import permanence.core.db.types

revision: str = '0005_agenda'
down_revision: str | None = '0004_caller_phone_index'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('day_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('periods', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioners.id'], name=op.f('fk_day_exceptions_practitioner_id_practitioners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_exceptions'))
    )
    with op.batch_alter_table('day_exceptions', schema=None) as batch_op:
        batch_op.create_index('ix_day_exceptions_day', ['practitioner_id', 'day'], unique=True)

    op.create_table('waitlist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('caller_id', sa.Integer(), nullable=True),
    sa.Column('appointment_type_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('preferences', sa.Text(), nullable=False),
    sa.Column('not_before', permanence.core.db.types.UTCDateTime(), nullable=True),
    sa.Column('not_after', permanence.core.db.types.UTCDateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_waitlist_appointment_id_appointments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['appointment_type_id'], ['appointment_types.id'], name=op.f('fk_waitlist_appointment_type_id_appointment_types'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['caller_id'], ['callers.id'], name=op.f('fk_waitlist_caller_id_callers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioners.id'], name=op.f('fk_waitlist_practitioner_id_practitioners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist'))
    )
    with op.batch_alter_table('waitlist', schema=None) as batch_op:
        batch_op.create_index('ix_waitlist_open', ['practitioner_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('waitlist', schema=None) as batch_op:
        batch_op.drop_index('ix_waitlist_open')

    op.drop_table('waitlist')
    with op.batch_alter_table('day_exceptions', schema=None) as batch_op:
        batch_op.drop_index('ix_day_exceptions_day')

    op.drop_table('day_exceptions')
