"""Alembic environment: runs on the connection the workspace hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from permanence.core.db.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _configure_and_run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or "sqlite://"
    with create_engine(url).begin() as conn:
        _configure_and_run(conn)
