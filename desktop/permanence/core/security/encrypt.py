"""Encrypting a workspace that was created before encryption existed (or as plain).

The plain database is copied into a new SQLCipher file with `sqlcipher_export` (schema,
rows, triggers), the copy is opened and compared row for row by table, the key slots and
the first administrator are written, and only then does the encrypted file replace the
plain one. The plain file and its WAL are then deleted: a copy in clear would defeat the
purpose (on an SSD the old blocks may survive; the closing message says so).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import inspect, text

from permanence.core.db.engine import DB_FILENAME, make_engine, sqlite_url
from permanence.core.errors import WorkspaceError
from permanence.core.security.keyslots import KeySlots, new_database_key
from permanence.core.security.workspace_lock import WorkspaceLock

TEMP_NAME = ".permanence-chiffrement.tmp"


def encrypt_workspace(
    folder: Path, username: str, password: str, *, display_name: str = ""
) -> dict[str, int]:
    """Encrypt the plain workspace in `folder`; returns the row count per table."""
    from permanence.core.db.models import Account
    from permanence.core.security.accounts import ADMIN, validate_new_account
    from permanence.core.workspace import Workspace

    name = validate_new_account(username, ADMIN, password)
    database = folder / DB_FILENAME
    if KeySlots.exists_in(folder):
        raise WorkspaceError("Cet espace de travail est déjà chiffré ; rien n'a été modifié.")
    if not database.exists():
        raise WorkspaceError(f"Aucun espace de travail dans « {folder} » ; rien n'a été modifié.")
    lock = WorkspaceLock.acquire(folder)  # nobody may write while the copy is made
    temporary = folder / TEMP_NAME
    try:
        # Opening migrates an older schema and checks integrity first.
        Workspace.open(folder).close()
        counts = _counts(make_engine(sqlite_url(database)))
        key = new_database_key()
        temporary.unlink(missing_ok=True)
        _export(database, temporary, key)
        copied = _counts(make_engine(sqlite_url(temporary), key=key))
        if copied != counts:
            raise WorkspaceError(
                "La copie chiffrée ne contient pas les mêmes données que l'original ; "
                "rien n'a été modifié."
            )
        slots = KeySlots.new().with_slot(name, password, key)
        # The swap: encrypted file in place, then the slots; a crash in between leaves a
        # database nobody can open without slots, so the plain original is removed last.
        plain_aside = folder / ".permanence-clair.tmp"
        database.replace(plain_aside)
        for suffix in ("-wal", "-shm"):
            (folder / f"{DB_FILENAME}{suffix}").unlink(missing_ok=True)
        temporary.replace(database)
        slots.save(folder)
    except BaseException:
        temporary.unlink(missing_ok=True)
        aside = folder / ".permanence-clair.tmp"
        if aside.exists() and not KeySlots.exists_in(folder):
            aside.replace(database)
        lock.release()
        raise
    lock.release()
    with Workspace.open(folder, key=key) as workspace:
        workspace.set_setting("workspace.id", slots.workspace_id)
        with workspace.sessions.begin() as session:
            session.add(Account(username=name, display_name=display_name.strip(), role=ADMIN))
    with contextlib.suppress(FileNotFoundError):
        (folder / ".permanence-clair.tmp").unlink()
    return counts


def _export(plain: Path, target: Path, key: bytes) -> None:
    import sqlcipher3  # type: ignore[import-untyped]

    connection = sqlcipher3.connect(str(plain))
    try:
        connection.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()


def _counts(engine: object) -> dict[str, int]:
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            return {
                table: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
                for table in tables
            }
    finally:
        engine.dispose()
