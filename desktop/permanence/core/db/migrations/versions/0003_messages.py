"""messages: readback, callback wish, flags; message events

Revision ID: 0003_messages
Revises: 0002_calls
Create Date: 2026-11-23 14:34:16.651539
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import permanence.core.db.types

revision: str = '0003_messages'
down_revision: str | None = '0002_calls'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Columns added to a table that may hold rows carry a server default for those rows.
    op.create_table('message_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('at', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.Column('by', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_events_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_events'))
    )
    with op.batch_alter_table('message_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_events_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caller_civility', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('caller_last_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('caller_first_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('patient_last_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('patient_first_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('relation', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('callback_number2', sa.String(length=32), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('callback_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('callback_after', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('callback_before', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('private', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('copy_to_practitioner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('triage_level', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('readback_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('unconfirmed_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('practitioner_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('taken_by', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_at', permanence.core.db.types.UTCDateTime(), nullable=False, server_default=sa.func.current_timestamp()))
        batch_op.create_foreign_key(batch_op.f('fk_messages_copy_to_practitioner_id_practitioners'), 'practitioners', ['copy_to_practitioner_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_messages_copy_to_practitioner_id_practitioners'), type_='foreignkey')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('taken_by')
        batch_op.drop_column('practitioner_note')
        batch_op.drop_column('unconfirmed_reason')
        batch_op.drop_column('confirmed')
        batch_op.drop_column('readback_text')
        batch_op.drop_column('triage_level')
        batch_op.drop_column('copy_to_practitioner_id')
        batch_op.drop_column('private')
        batch_op.drop_column('callback_before')
        batch_op.drop_column('callback_after')
        batch_op.drop_column('callback_day')
        batch_op.drop_column('callback_number2')
        batch_op.drop_column('relation')
        batch_op.drop_column('patient_first_name')
        batch_op.drop_column('patient_last_name')
        batch_op.drop_column('caller_first_name')
        batch_op.drop_column('caller_last_name')
        batch_op.drop_column('caller_civility')

    with op.batch_alter_table('message_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_events_message_id'))

    op.drop_table('message_events')
