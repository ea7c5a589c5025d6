"""calls: billing, tension, triage, drafts; follow-ups

Revision ID: 0002_calls
Revises: 0001_baseline
Create Date: 2026-11-23 13:57:47.335619
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import permanence.core.db.types

revision: str = '0002_calls'
down_revision: str | None = '0001_baseline'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Columns added to tables that may hold rows carry a server default for those rows.
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('practice_id', sa.Integer(), nullable=True),
    sa.Column('practitioner_id', sa.Integer(), nullable=True),
    sa.Column('caller_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('due_at', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.Column('done_at', permanence.core.db.types.UTCDateTime(), nullable=True),
    sa.Column('done_by', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_follow_ups_call_id_calls'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['caller_id'], ['callers.id'], name=op.f('fk_follow_ups_caller_id_callers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_follow_ups_message_id_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_follow_ups_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioners.id'], name=op.f('fk_follow_ups_practitioner_id_practitioners'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_open_due', ['done_at', 'due_at'], unique=False)

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('billing_reason', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('tension', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('triage_level', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('triage_rule', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('triage_override_level', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('triage_override_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('draft_owner', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_at', permanence.core.db.types.UTCDateTime(), nullable=False, server_default=sa.func.current_timestamp()))

    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('billing_rules', sa.Text(), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_column('billing_rules')

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('draft_owner')
        batch_op.drop_column('triage_override_reason')
        batch_op.drop_column('triage_override_level')
        batch_op.drop_column('triage_rule')
        batch_op.drop_column('triage_level')
        batch_op.drop_column('tension')
        batch_op.drop_column('billing_reason')

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_open_due')

    op.drop_table('follow_ups')
