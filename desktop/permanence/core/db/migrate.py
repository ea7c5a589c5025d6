"""Schema management: Alembic migrations, without paying for Alembic when nothing changes.

A fresh database is created from the models and stamped at the head revision (the usual
"create_all then stamp" recipe); a database at head opens without importing Alembic; only
an older database runs `alembic upgrade head`. A database written by a newer version is
refused before anything is touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, inspect, select

from permanence.core.errors import WorkspaceError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: The newest migration shipped; a test checks it against Alembic's own head.
HEAD_REVISION = "0009_caldav_sync"

_version_table = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), primary_key=True),
)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """Alembic's head, read from the migration scripts (slow: imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the baseline always exists
        raise WorkspaceError("Aucune migration de base de données n'est livrée avec l'application.")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(select(_version_table.c.version_num))


def prepare_schema(engine: Engine) -> None:
    """Bring the database to the current schema, creating it when it is empty."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    if revision is None and _is_empty(engine):
        _create_at_head(engine)
        return
    upgrade_to_head(engine, revision)


def upgrade_to_head(engine: Engine, revision: str | None = None) -> None:
    from alembic import command

    _ensure_known(revision if revision is not None else current_revision(engine))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def _ensure_known(revision: str | None) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise WorkspaceError(
            "Cet espace de travail a été enregistré par une version plus récente de Permanence "
            f"(schéma « {revision} »). Mettez Permanence à jour pour l'ouvrir ; "
            "rien n'a été modifié."
        )


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def _create_at_head(engine: Engine) -> None:
    from permanence.core.db.models import Base

    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        _version_table.create(connection)
        connection.execute(_version_table.insert().values(version_num=HEAD_REVISION))
