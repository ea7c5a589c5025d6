"""Alembic, driven from code: `upgrade head` on open, and a refusal of newer databases."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

from permanence.core.errors import WorkspaceError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the baseline always exists
        raise WorkspaceError("Aucune migration de base de données n'est livrée avec l'application.")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_known_revision(engine: Engine) -> None:
    """Refuse a database written by a newer Permanence before touching anything."""
    revision = current_revision(engine)
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        known = script.get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise WorkspaceError(
            "Cet espace de travail a été enregistré par une version plus récente de Permanence "
            f"(schéma « {revision} »). Mettez Permanence à jour pour l'ouvrir ; "
            "rien n'a été modifié."
        )


def upgrade_to_head(engine: Engine) -> None:
    ensure_known_revision(engine)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
