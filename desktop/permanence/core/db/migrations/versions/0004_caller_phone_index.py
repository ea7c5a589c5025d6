"""index caller phones by caller

Revision ID: 0004_caller_phone_index
Revises: 0003_messages
Create Date: 2026-11-23 14:48:35.714141
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import permanence.core.db.types

revision: str = '0004_caller_phone_index'
down_revision: str | None = '0003_messages'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('caller_phones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caller_phones_caller_id'), ['caller_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('caller_phones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caller_phones_caller_id'))

