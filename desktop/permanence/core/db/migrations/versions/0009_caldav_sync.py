"""caldav sync: privacy level of what a source receives (callbacks, appointments)

Revision ID: 0009_caldav_sync
Revises: 0008_security
Create Date: 2026-11-23 16:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_caldav_sync'
down_revision: str | None = '0008_security'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing sources keep what they pushed until now: initials (server_default).
    with op.batch_alter_table('calendar_sources', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('privacy', sa.String(length=10), nullable=False, server_default='initials')
        )


def downgrade() -> None:
    with op.batch_alter_table('calendar_sources', schema=None) as batch_op:
        batch_op.drop_column('privacy')
