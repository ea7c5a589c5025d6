"""The one place that knows which database engine is used and how it is tuned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, QueuePool, create_engine, event
from sqlalchemy.engine import make_url

DB_FILENAME = "permanence.sqlite3"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str, *, key: bytes | None = None, read_only: bool = False) -> Engine:
    """Engine for a workspace URL; SQLite gets WAL, full sync and foreign keys.

    With `key`, the SQLite file is opened with SQLCipher (AES-256) using that raw 256-bit
    key, so no passphrase derivation is paid at each connection. `read_only` makes every
    write fail (a second copy of the app looking at a workspace another one edits).
    """
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if key is not None:
        if not is_sqlite:
            raise ValueError("only a SQLite workspace can be encrypted with SQLCipher")
        parsed = parsed.set(drivername="sqlite+pysqlcipher", password=f"x'{key.hex()}'")
        engine = create_engine(
            parsed, poolclass=QueuePool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(parsed)
    if is_sqlite:
        in_memory = parsed.database in (None, "", ":memory:")
        event.listen(engine, "connect", _sqlite_pragmas(in_memory, read_only, key is not None))
    return engine


def _sqlite_pragmas(in_memory: bool, read_only: bool, encrypted: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            if encrypted:
                # A wrong key is reported to the user in French, not logged on stderr.
                cursor.execute("PRAGMA cipher_log_level = NONE")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 5000")
            # Sorts and temporary indexes stay in memory, never in a temp file on disk.
            cursor.execute("PRAGMA temp_store = MEMORY")
            if not in_memory:
                # WAL + FULL: a power cut never loses a committed call or message.
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = FULL")
            if read_only:
                cursor.execute("PRAGMA query_only = ON")
        finally:
            cursor.close()

    return on_connect
