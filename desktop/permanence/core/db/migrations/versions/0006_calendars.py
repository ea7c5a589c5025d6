"""calendars: sources, component cache and busy time

Revision ID: 0006_calendars
Revises: 0005_agenda
Create Date: 2026-11-23 15:04:32.597390
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import permanence.core.db.types

revision: str = '0006_calendars'
down_revision: str | None = '0005_agenda'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_sync_at', permanence.core.db.types.UTCDateTime(), nullable=True),
    sa.Column('last_status', sa.String(length=20), nullable=False),
    sa.Column('last_message', sa.Text(), nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=False),
    sa.Column('last_modified', sa.String(length=100), nullable=False),
    sa.Column('created_at', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioners.id'], name=op.f('fk_calendar_sources_practitioner_id_practitioners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_sources'))
    )
    with op.batch_alter_table('calendar_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_sources_practitioner_id'), ['practitioner_id'], unique=False)

    op.create_table('busy_times',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.Text(), nullable=True),
    sa.Column('starts_at', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.Column('ends_at', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['calendar_sources.id'], name=op.f('fk_busy_times_source_id_calendar_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_busy_times'))
    )
    with op.batch_alter_table('busy_times', schema=None) as batch_op:
        batch_op.create_index('ix_busy_times_practitioner', ['practitioner_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_busy_times_source_id'), ['source_id'], unique=False)

    op.create_table('calendar_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('uid', sa.Text(), nullable=True),
    sa.Column('raw_text', sa.Text(), nullable=False),
    sa.Column('digest', sa.String(length=128), nullable=False),
    sa.Column('window_start', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.Column('window_end', permanence.core.db.types.UTCDateTime(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['calendar_sources.id'], name=op.f('fk_calendar_components_source_id_calendar_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_components')),
    sa.UniqueConstraint('source_id', 'key', name=op.f('uq_calendar_components_source_id_key'))
    )


def downgrade() -> None:
    op.drop_table('calendar_components')
    with op.batch_alter_table('busy_times', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_busy_times_source_id'))
        batch_op.drop_index('ix_busy_times_practitioner')

    op.drop_table('busy_times')
    with op.batch_alter_table('calendar_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_sources_practitioner_id'))

    op.drop_table('calendar_sources')
